#!/usr/bin/env bash
# Disaster-recovery drill, timed: the RTO of docs/operations.md#disaster-recovery.
#
# 1. Instance A (embedded PostgreSQL in its own data dir, vectors from bench/fake-embeddings.py)
#    loads a brain of about 100,000 chunks (bench/load-brain.sh), seals and activates it, and
#    takes an encrypted backup into the backup store.
# 2. A is stopped. Instance B starts on a NEW, EMPTY data dir (so an empty database) that shares
#    nothing with A but the backup store and the key: it lists the store's backups, verifies
#    the newest, restores it, and serves the restored version (local index built from the
#    restored rows): bench/dr-recover.sh. Every step is timed; the RTO is B's start to its
#    first search answer.
#
# The store is the filesystem store (brain.backup.store=filesystem, a directory standing in for
# the bucket): S3Proxy runs only inside the tests here, and there is no MinIO on this machine.
# Run from the project root after ./mvnw -B -q package -DskipTests.
# Usage: bench/dr-restore.sh [DOCS] (default: 16000 with /usr/share/dict/words, 20000 without:
# about 100,000 chunks either way)
# SEGMENTS=1: both instances also share a `filesystem` segment store beside the backup store
# (brain.index.segment-store, as a bucket's index/ prefix would be shared), so B fetches the
# restored version's index files instead of building them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -e /usr/share/dict/words ]; then DOCS=${1:-16000}; else DOCS=${1:-20000}; fi
JAR=$(ls target/brainplane-*.jar | grep -v plain | head -1)
WORK=${WORK:-$(mktemp -d /tmp/dr-restore.XXXXXX)}
PORT_A=${PORT_A:-18461}; PORT_B=${PORT_B:-18463}; EMBED_PORT=${EMBED_PORT:-18465}
KEY=$(python3 -c "import base64,os; print(base64.b64encode(os.urandom(32)).decode())")
STORE="$WORK/bucket"
mkdir -p "$STORE"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.1f}')"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

python3 bench/fake-embeddings.py "$EMBED_PORT" 384 > "$WORK/embed.log" 2>&1 & pids+=($!)
common=(--brain.backup.store=filesystem --brain.backup.dir="$STORE" --brain.backup.encryption-key="$KEY"
  --brain.backup.cron=- --brain.embedding.provider=openai --brain.embedding.openai.model=fake-384
  --brain.embedding.openai.base-url=http://127.0.0.1:$EMBED_PORT/v1 --brain.embedding.openai.api-key=bench
  --management.server.port=0)
if [ "${SEGMENTS:-0}" = 1 ]; then
  mkdir -p "$WORK/segments"
  common+=(--brain.index.segment-store=filesystem --brain.index.segment-store-path="$WORK/segments")
fi
wait_up() { until curl -sf "http://localhost:$1/brain/health" -o /dev/null -w '' 2>/dev/null \
  || [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$1/brain/health")" = 503 ]; do sleep 0.2; done; }

echo "== instance A: load $DOCS documents, back up"
java -jar "$JAR" --server.port=$PORT_A --brain.data-dir="$WORK/a" "${common[@]}" > "$WORK/a.log" 2>&1 & A=$!; pids+=($A)
wait_up $PORT_A
export BRAIN_KEY=$(cat "$WORK/a/operator.key")
t=$(now); v=$(POLL_SECONDS=30 bench/load-brain.sh "$DOCS" "http://localhost:$PORT_A"); echo "loaded version $v in $(since "$t") s"
curl -sf -H "Authorization: Bearer $BRAIN_KEY" "http://localhost:$PORT_A/brain/versions/$v" \
  | json '"chunks %s, documents %s, model %s" % (d["chunkCount"], d["documentCount"], d.get("embeddingModel"))'
t=$(now)
id=$(curl -sf -H "Authorization: Bearer $BRAIN_KEY" -X POST "http://localhost:$PORT_A/brain/backups" | json 'd["id"]')
while [ "$(curl -sf -H "Authorization: Bearer $BRAIN_KEY" "http://localhost:$PORT_A/brain/backups/$id" | json 'd["state"]')" = RUNNING ]; do sleep 0.2; done
echo "backup $id in $(since "$t") s (written, encrypted and verified): $(du -sh "$STORE/$id" | cut -f1)"
curl -sf -H "Authorization: Bearer $BRAIN_KEY" "http://localhost:$PORT_A/brain/backups/$id" | json 'd["state"], d["rows"]'
kill $A; wait $A 2>/dev/null || true

echo "== instance B: empty database, the store and the key only"
echo "$KEY" > "$WORK/key"
SEGMENTS=${SEGMENTS:-0} PORT_B=$PORT_B EMBED_PORT=$EMBED_PORT bench/dr-recover.sh "$STORE" "$WORK/key" "$id" "$WORK"
