#!/usr/bin/env bash
# Loads a generated brain into a running Brainplane: DOCS documents (~5 chunks each) into a
# new version, sealed and activated. Prints the version number.
# Usage: bench/load-brain.sh [DOCS] [BASE_URL]
set -euo pipefail
DOCS=${1:-20000}
B=${2:-http://localhost:8080}/brain
AUTH=()
[ -n "${BRAIN_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BRAIN_KEY")
dir=target/bench-docs-$DOCS
[ -d "$dir" ] || python3 "$(dirname "$0")/generate.py" "$DOCS" "$dir"
v=$(curl -sf "${AUTH[@]}" -X POST "$B/versions" -H 'Content-Type: application/json' -d '{"label":"bench","base":"none"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
for f in "$dir"/batch-*.ndjson; do
  curl -sf "${AUTH[@]}" -X PUT "$B/versions/$v/documents" -H 'Content-Type: application/x-ndjson' --data-binary "@$f" > /dev/null
done
curl -sf "${AUTH[@]}" -X POST "$B/versions/$v/seal" > /dev/null
curl -sf "${AUTH[@]}" -X POST "$B/versions/$v/activate" > /dev/null
echo "$v"
