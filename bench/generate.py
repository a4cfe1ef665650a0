#!/usr/bin/env python3
"""Writes NDJSON documents for load tests: N documents of about 5,000 characters each
(about 6.25 chunks each with the default chunk size and overlap, with the words of
/usr/share/dict/words), split into files of 1,000."""
import json, os, random, sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
out = sys.argv[2] if len(sys.argv) > 2 else "target/bench-docs"
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
if os.path.exists("/usr/share/dict/words"):
    words = [w.strip() for w in open("/usr/share/dict/words")]
else:
    # Without a word list (Debian: apt-get install wamerican) the text is random letters: it
    # chunks differently (~5.0 instead of ~6.25 chunks a document) and real queries find
    # almost nothing in it lexically, so search figures are not comparable.
    print("generate.py: no /usr/share/dict/words, using random-letter words", file=sys.stderr)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))) for _ in range(20000)]
for batch in range(0, count, 1000):
    with open(f"{out}/batch-{batch // 1000:04d}.ndjson", "w") as f:
        for i in range(batch, min(batch + 1000, count)):
            paragraphs = []
            for _ in range(5):
                sentence = lambda: " ".join(rng.choice(words) for _ in range(12)).capitalize() + "."
                paragraphs.append(" ".join(sentence() for _ in range(8)))
            f.write(json.dumps({"key": f"doc-{i}", "title": f"Document {i}", "content": "\n\n".join(paragraphs)}) + "\n")
