#!/usr/bin/env python3
"""An OpenAI-compatible POST /v1/embeddings that answers instantly with deterministic unit vectors
(seeded by a hash of each text), so index-build and replication costs can be measured at scale
without the model's cost. usage: fake-embeddings.py PORT [DIM]

Copied unchanged (but for this note) from the team's shared bench tools
(shared/bench/fake-embeddings.py, Brainplane founding team), so bench/ never reads outside the
repository. Benchmarks only."""
import hashlib, json, math, random, sys
try:
    import numpy as np
except ImportError:
    np = None
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1]); DIM = int(sys.argv[2]) if len(sys.argv) > 2 else 384


def vector(text):
    if np is not None:
        v = np.random.default_rng(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], 'big')).standard_normal(DIM, dtype=np.float32)
        return [round(float(x), 6) for x in v / np.linalg.norm(v)]
    rnd = random.Random(hashlib.sha256(text.encode()).digest())
    v = [rnd.gauss(0, 1) for _ in range(DIM)]
    n = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / n for x in v]


class H(BaseHTTPRequestHandler):
    def do_POST(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            raw = b''
            while True:
                size = int(self.rfile.readline().strip().split(b';')[0], 16)
                if size == 0:
                    self.rfile.readline(); break
                raw += self.rfile.read(size); self.rfile.readline()
        else:
            raw = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = json.loads(raw or b'{}')
        inputs = body.get('input', [])
        if isinstance(inputs, str):
            inputs = [inputs]
        out = json.dumps({'object': 'list', 'model': body.get('model', 'fake'),
                          'data': [{'object': 'embedding', 'index': i, 'embedding': vector(t)} for i, t in enumerate(inputs)],
                          'usage': {'prompt_tokens': 0, 'total_tokens': 0}}).encode()
        self.send_response(200); self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(out))); self.end_headers(); self.wfile.write(out)

    def log_message(self, *a):
        pass


ThreadingHTTPServer(('127.0.0.1', PORT), H).serve_forever()
