#!/usr/bin/env bash
# The recovery half of bench/dr-restore.sh, timed: a new instance on a NEW, EMPTY data dir (an
# empty embedded database) that knows only the backup store and the key lists the store's
# backups, verifies one, restores it and waits until it serves the restored active version.
# Usage: bench/dr-recover.sh STORE_DIR KEY_FILE ID [WORK_DIR]
# Env: PORT_B (18463), EMBED_PORT (18465: bench/fake-embeddings.py must be running there when the
# brain has vectors from it), SEGMENTS (0; 1: use the `filesystem` segment store WORK_DIR/segments
# that bench/dr-restore.sh's instance A published to)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=$1; KEY=$(cat "$2"); id=$3; WORK=${4:-$(mktemp -d /tmp/dr-recover.XXXXXX)}
PORT_B=${PORT_B:-18463}; EMBED_PORT=${EMBED_PORT:-18465}
JAR=$(ls target/brainplane-*.jar | grep -v plain | head -1)
now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.1f}')"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
segments=()
if [ "${SEGMENTS:-0}" = 1 ]; then
  segments=(--brain.index.segment-store=filesystem --brain.index.segment-store-path="$WORK/segments")
fi
start=$(now)
java -jar "$JAR" --server.port=$PORT_B --brain.data-dir="$WORK/b" --management.server.port=0 \
  --brain.backup.store=filesystem --brain.backup.dir="$STORE" --brain.backup.encryption-key="$KEY" \
  --brain.backup.cron=- --brain.embedding.provider=openai --brain.embedding.openai.model=fake-384 \
  --brain.embedding.openai.base-url=http://127.0.0.1:$EMBED_PORT/v1 --brain.embedding.openai.api-key=bench "${segments[@]}" \
  > "$WORK/b.log" 2>&1 & B=$!
trap 'kill $B 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$PORT_B/brain/health")" != 000 ]; do sleep 0.2; done
echo "B up (empty database migrated): $(since "$start") s"
K=$(cat "$WORK/b/operator.key"); H=(-H "Authorization: Bearer $K")
t=$(now); curl -sf "${H[@]}" "http://localhost:$PORT_B/brain/backups" | json '[b["id"] for b in d["backups"]]'
echo "list (catalogue imported from the store): $(since "$t") s"
t=$(now); curl -sf "${H[@]}" -X POST "http://localhost:$PORT_B/brain/backups/$id/verify" | json 'd["ok"]'
echo "verify: $(since "$t") s"
t=$(now); curl -sf "${H[@]}" -X POST "http://localhost:$PORT_B/brain/backups/$id/restore?confirm=true"; echo
echo "restore: $(since "$t") s"
echo "data back (B start to restored): $(since "$start") s"
active=$(curl -sf "${H[@]}" "http://localhost:$PORT_B/brain/versions?limit=1" | json 'd["versions"][0]["active"]')
if [ "$active" = True ]; then
  t=$(now)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "http://localhost:$PORT_B/brain/search?q=the&k=1")" = 200 ]; do sleep 0.5; done
  echo "serving the restored version (local index built): $(since "$t") s after the restore"
  echo "RTO (B start to first search answer): $(since "$start") s"
fi
echo "logs and data in $WORK"
