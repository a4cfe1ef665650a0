#!/usr/bin/env bash
# Rollback latency on a large brain: loads DOCS documents (~5 chunks each) as version A,
# makes version B from A with one changed document, activates B, then rolls back and forth
# ROUNDS times. Both versions stay open locally, so each rollback is a pointer switch plus a
# reference swap. Prints the server-side durationMs and the client round trip, p50/p95/max.
# Usage: bench/rollback.sh [DOCS] [ROUNDS] [BASE_URL]
set -euo pipefail
DOCS=${1:-20000}
ROUNDS=${2:-100}
BASE=${3:-http://localhost:8080}
B=$BASE/brain
AUTH=()
[ -n "${BRAIN_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BRAIN_KEY")
J='Content-Type: application/json'
a=$("$(dirname "$0")/load-brain.sh" "$DOCS" "$BASE")
b=$(curl -sf "${AUTH[@]}" -X POST "$B/versions" -H "$J" -d "{\"base\":\"$a\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
curl -sf "${AUTH[@]}" -X PUT "$B/versions/$b/documents" -H "$J" -d '{"documents":[{"key":"doc-0","content":"changed"}]}' > /dev/null
curl -sf "${AUTH[@]}" -X POST "$B/versions/$b/seal" > /dev/null
curl -sf "${AUTH[@]}" -X POST "$B/versions/$b/activate" > /dev/null
curl -sf "${AUTH[@]}" "$B/health" | python3 -c 'import json,sys; h=json.load(sys.stdin); print("chunks in active version:", h["chunks"])'
out=$(mktemp)
for i in $(seq "$ROUNDS"); do
  curl -s "${AUTH[@]}" -w ' %{time_total}\n' -X POST "$B/rollback" >> "$out"
done
python3 - "$out" <<'PY'
import json, sys
server, client = [], []
for line in open(sys.argv[1]):
    body, total = line.rsplit(" ", 1)
    server.append(json.loads(body)["durationMs"]); client.append(float(total) * 1000)
def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]
for name, xs in (("server durationMs", server), ("client round trip ms", client)):
    print(f"{name}: n={len(xs)} p50={pct(xs,50):.1f} p95={pct(xs,95):.1f} max={max(xs):.1f}")
PY
