#!/usr/bin/env bash
# A/B of change seals on a kept brain (not a test). Restarts replica a of a `KEEP=1 QUICK=1
# bench/scale.sh N` run on its data directory with the given jar and seals ROUNDS versions on
# BASE, each changing 100 documents (new content, keys spread over the brain), with fresh
# planner statistics (ANALYZE before each seal, as autovacuum leaves them soon after a version
# copies its base's membership); prints each seal's log lines. Needs the run's PostgreSQL started
# again on its data directory (port PG_PORT) and the embedding stub (python3
# bench/fake-embeddings.py 18170 384). Run the jars in turn (A, B, A, B), minutes apart.
# ACTIVATE=1 activates BASE first (the replica keeps only the active and rollback versions'
# local indexes, and a change on a base it does not have is a full build).
# Usage: bench/seal-ab.sh JAR BASE ROUNDS SEED   (WORK: the run's, default target/scale;
#        PG_PORT 15432; DOCS: documents in the brain, default 40000)
set -euo pipefail
JAR=$1 BASE=$2 ROUNDS=$3 SEED=$4
WORK=${WORK:-target/scale} PG_PORT=${PG_PORT:-15432} DOCS=${DOCS:-40000} PORT=18180 KEY=bench-operator-key-0123456789
AUTH=(-H "Authorization: Bearer $KEY"); J='Content-Type: application/json'
A=http://127.0.0.1:$PORT/brain
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
BRAIN_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" BRAIN_DATABASE_USERNAME=brain BRAIN_DATABASE_PASSWORD=unused \
java -Xmx1g -jar "$JAR" --server.port=$PORT --management.server.port=$((PORT + 1)) \
    --brain.data-dir="$WORK/a" --brain.embedding.provider=openai \
    --brain.embedding.openai.base-url="http://127.0.0.1:18170/v1" --brain.embedding.openai.api-key=bench \
    --brain.embedding.openai.model=fake-384 --brain.embedding.openai.requests-per-minute=10000000 \
    --brain.index.segment-store=filesystem --brain.index.segment-store-path="$WORK/store" \
    "--brain.security.keys[0].name=bench" "--brain.security.keys[0].role=operator" "--brain.security.keys[0].key=$KEY" \
    --brain.ratelimit.search-per-minute=100000000 --brain.ratelimit.default-per-minute=100000000 \
    > "$WORK/ab-$(basename "$JAR")-$SEED.log" 2>&1 &
pid=$!
trap 'kill $pid; wait $pid 2>/dev/null || true' EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((PORT + 1))/actuator/health/readiness")" = 200 ]; do sleep 0.5; done
if [ "${ACTIVATE:-0}" = 1 ]; then
  # a base whose local index the replica has dropped (neither active nor the rollback target)
  # would make every round a full build: activate it, and wait until searches answer from it
  curl -sf "${AUTH[@]}" -X POST "$A/versions/$BASE/activate" -H "$J" -d '{}' > /dev/null
  until [ "$(curl -s -o /dev/null -D - "${AUTH[@]}" "$A/search?q=a&mode=lexical" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-brain-version" {print $2}')" = "$BASE" ]; do
    sleep 0.2
  done
fi
for r in $(seq 1 "$ROUNDS"); do
  python3 - "$WORK/changed-ab.ndjson" "$SEED$r" "$DOCS" <<'PY'
import json, random, sys
rng = random.Random(int(sys.argv[2]))
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))) for _ in range(5000)]
with open(sys.argv[1], "w") as f:
    for i in range(100):
        text = "\n\n".join(" ".join(rng.choice(words) for _ in range(96)) for _ in range(5))
        f.write(json.dumps({"key": f"doc-{(i * 397 + int(sys.argv[2]) * 13) % int(sys.argv[3])}", "title": f"AB {sys.argv[2]} {i}", "content": text}) + "\n")
PY
  v=$(curl -sf "${AUTH[@]}" -X POST "$A/versions" -H "$J" -d "{\"label\":\"ab\",\"base\":\"$BASE\"}" | json 'd["version"]')
  curl -sf "${AUTH[@]}" -X PUT "$A/versions/$v/documents" -H 'Content-Type: application/x-ndjson' --data-binary "@$WORK/changed-ab.ndjson" > /dev/null
  until [ "$(curl -sf "${AUTH[@]}" "$A/versions/$v" | json 'd["progress"]["state"]')" = DONE ]; do sleep 0.5; done
  psql -h 127.0.0.1 -p $PG_PORT -U brain -d postgres -qc "analyze version_member, chunk, chunk_embedding, document_revision"
  echo "round $r: version $v on base $BASE; load $(cut -d' ' -f1-3 /proc/loadavg)"
  t0=$(date +%s.%N)
  curl -sf "${AUTH[@]}" -X POST "$A/versions/$v/seal" > /dev/null
  echo "  seal answered in $(python3 -c "print(round($(date +%s.%N) - $t0, 2))") s; load $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -o "Sealed version $v in .*" "$WORK/ab-$(basename "$JAR")-$SEED.log" | sed 's/^/  /'
  grep -o "Built local index of version $v .*" "$WORK/ab-$(basename "$JAR")-$SEED.log" | sed 's/^/  /'
done
