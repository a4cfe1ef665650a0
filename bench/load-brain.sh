#!/usr/bin/env bash
# Loads a generated brain into a running Brainplane: DOCS documents (~6 chunks each) into a
# new version, waits for ingestion (chunking and embedding run in background jobs), then
# seals and activates it. Prints the version number on stdout; progress goes to stderr.
# Works the same for lexical-only brains (--brain.embedding.provider=none): there the jobs
# only chunk, and embedded stays 0.
# Usage: bench/load-brain.sh [DOCS] [BASE_URL]
# Env: BRAIN_KEY (bearer key), POLL_SECONDS (progress print interval, default 10),
#      LABEL (version label, default bench)
set -euo pipefail
DOCS=${1:-20000}
B=${2:-http://localhost:8080}/brain
POLL=${POLL_SECONDS:-10}
AUTH=()
[ -n "${BRAIN_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BRAIN_KEY")
dir=target/bench-docs-$DOCS
[ -d "$dir" ] || python3 "$(dirname "$0")/generate.py" "$DOCS" "$dir"
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
v=$(curl -sf "${AUTH[@]}" -X POST "$B/versions" -H 'Content-Type: application/json' \
  -d "{\"label\":\"${LABEL:-bench}\",\"base\":\"none\"}" | json 'd["version"]')
started=$(date +%s)
for f in "$dir"/batch-*.ndjson; do
  curl -sf "${AUTH[@]}" -X PUT "$B/versions/$v/documents" -H 'Content-Type: application/x-ndjson' --data-binary "@$f" > /dev/null
done
echo "version $v: $DOCS documents uploaded in $(( $(date +%s) - started )) s; waiting for ingestion" >&2
while :; do
  line=$(curl -sf "${AUTH[@]}" "$B/versions/$v" | json '" ".join(str(x) for x in (
      d["progress"]["state"], d["progress"]["percent"], d["progress"]["embedded"], d["progress"]["chunks"],
      d["progress"].get("etaSeconds", "-"), d["progress"]["failed"], (d["progress"].get("error") or "").replace(" ", "_")))')
  read -r state percent embedded chunks eta failed error <<< "$line"
  case "$state" in
    DONE) break ;;
    FAILED)
      echo "version $v: ingestion FAILED ($failed documents failed): ${error//_/ }" >&2
      echo "see: curl $B/versions/$v/jobs ; retry: curl -X POST $B/versions/$v/jobs/retry" >&2
      exit 1 ;;
  esac
  echo "version $v: $state ${percent}% embedded $embedded of $chunks chunks, eta ${eta}s ($(( $(date +%s) - started )) s elapsed)" >&2
  sleep "$POLL"
done
echo "version $v: ingestion DONE after $(( $(date +%s) - started )) s ($chunks chunks, $embedded embedded)" >&2
# seal waits at most brain.ingest.seal-wait for jobs; the state is DONE here, so a 409 is a real error
curl -sf "${AUTH[@]}" -X POST "$B/versions/$v/seal" > /dev/null
curl -sf "${AUTH[@]}" -X POST "$B/versions/$v/activate" > /dev/null
echo "$v"
