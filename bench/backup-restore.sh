#!/usr/bin/env bash
# Times a backup and a restore of a 100,000-chunk brain through the HTTP API.
#
# Start the app first, e.g. with the embedded database and 1000-character chunks without
# overlap (a 5000-character document makes 5 chunks):
#   java -jar target/brainplane-*.jar --brain.data-dir=/tmp/bench --brain.ingest.chunk-overlap=0
# (add --brain.embedding.provider=none to time a lexical brain; with the default local model
# the load waits for the documents to be embedded, about 130 chunks/s on 2 cores)
# then: BRAIN_KEY=$(cat /tmp/bench/operator.key) bench/backup-restore.sh [base-url] [documents]
set -euo pipefail
AUTH=()
[ -n "${BRAIN_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BRAIN_KEY")

BASE=${1:-http://localhost:8080}
DOCS=${2:-20000}
BATCH=1000
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

version=$(curl -sf "${AUTH[@]}" -X POST "$BASE/brain/versions" -H 'Content-Type: application/json' \
  -d '{"label":"bench-100k","base":"none"}' | json "['version']")
echo "version $version: loading $DOCS documents of 5000 characters, $BATCH per call"
load_start=$(date +%s.%N)
for ((first = 0; first < DOCS; first += BATCH)); do
  python3 - "$first" "$BATCH" > "$WORK/batch.ndjson" <<'PY'
import json, random, sys
first, batch = int(sys.argv[1]), int(sys.argv[2])
words = ["otter", "heron", "grebe", "brain", "index", "version", "rollback", "search", "lucene",
         "postgres", "backup", "restore", "replica", "chunk", "document", "latency", "quality"]
for n in range(first, first + batch):
    rnd = random.Random(n)
    text = ""
    while len(text) < 5000:
        text += " ".join(rnd.choice(words) for _ in range(12)) + ". "
    print(json.dumps({"key": f"doc-{n:06d}", "title": f"Document {n}", "content": text[:5000]}))
PY
  curl -sf "${AUTH[@]}" -X PUT "$BASE/brain/versions/$version/documents" -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$WORK/batch.ndjson" > /dev/null
done
# chunking and embedding run in background jobs: wait for them before sealing
until [ "$(curl -sf "${AUTH[@]}" "$BASE/brain/versions/$version" | json "['progress']['state']")" = "DONE" ]; do
  sleep 2
done
curl -sf "${AUTH[@]}" -X POST "$BASE/brain/versions/$version/seal" > /dev/null
curl -sf "${AUTH[@]}" -X POST "$BASE/brain/versions/$version/activate" -H 'Content-Type: application/json' -d '{}' > /dev/null
load_end=$(date +%s.%N)
chunks=$(curl -sf "${AUTH[@]}" "$BASE/brain/versions/$version" | json "['chunkCount']")
echo "loaded, sealed and activated: $chunks chunks in $(echo "$load_end - $load_start" | bc) s"

backup_start=$(date +%s.%N)
id=$(curl -sf "${AUTH[@]}" -X POST "$BASE/brain/backups" | json "['id']")
while [ "$(curl -sf "${AUTH[@]}" "$BASE/brain/backups/$id" | json "['state']")" = "RUNNING" ]; do sleep 0.2; done
backup_end=$(date +%s.%N)
curl -sf "${AUTH[@]}" "$BASE/brain/backups/$id"; echo
echo "backup $id: $(echo "$backup_end - $backup_start" | bc) s (POST until SUCCEEDED, including verification)"

restore_start=$(date +%s.%N)
curl -sf "${AUTH[@]}" -X POST "$BASE/brain/backups/$id/restore?confirm=true"; echo
restore_end=$(date +%s.%N)
echo "restore $id: $(echo "$restore_end - $restore_start" | bc) s (verify + truncate + COPY in one transaction)"

drill_start=$(date +%s.%N)
curl -sf "${AUTH[@]}" -X POST "$BASE/brain/backups/$id/drill"; echo
echo "drill: $(echo "$(date +%s.%N) - $drill_start" | bc) s"
