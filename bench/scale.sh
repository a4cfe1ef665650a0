#!/usr/bin/env bash
# Scale benchmark (not a test): a brain of CHUNKS chunks with DIM-dimension vectors, two
# replicas sharing a filesystem segment store and a PostgreSQL started for the run, vectors
# from bench/fake-embeddings.py (instant, deterministic) so the model's cost is out of the
# figures. Reports:
#   - ingestion, then the full build (the first version's seal: build, check, publish)
#   - a fresh replica joining (start until ready, serving the version from the store)
#   - a CHANGED-document version sealed (incremental) and the second replica serving it
#     (activation until its searches answer from the new version)
#   - a fresh replica joining on the changed version
#   - disk per version (du, hard-linked files counted once), RSS of each replica
#   - search p50/p99 on the second replica (wrk, CONC connections, DUR seconds, hybrid)
# Usage: bench/scale.sh [CHUNKS]        (default 1000000; run from the project root)
# Env:   PGDATA_DIR (a new directory under /tmp), DIM (384), CHANGED (100), CONC (8), DUR (30), MODE (hybrid), WORK (target/scale),
#        JAVA_OPTS (-Xmx1g), CHUNKS_PER_DOC (5 with generate.py's random-letter words; 6.25
#        with /usr/share/dict/words), PORT (18180; replicas use PORT..PORT+5), PG_PORT (15432),
#        EMBED_PORT (18170), KEEP=1 keeps WORK afterwards, QUICK=1 stops once replica b serves the
#        changed version (no replica c, no wrk: for measuring seals only), JAR (the newest
#        target/brainplane-*.jar).
# Needs: java 17, python3 (numpy makes the embedding stub faster), wrk, curl, and the
# PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or in PG_BIN.
# Never run it at 1M chunks on a shared machine: it takes cores and ~10 GB of disk for an hour.
set -euo pipefail
CHUNKS=${1:-1000000}
DIM=${DIM:-384}
CHANGED=${CHANGED:-100}
CONC=${CONC:-8}
DUR=${DUR:-30}
MODE=${MODE:-hybrid}
WORK=${WORK:-target/scale}
PORT=${PORT:-18180}
PG_PORT=${PG_PORT:-15432}
EMBED_PORT=${EMBED_PORT:-18170}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
CHUNKS_PER_DOC=${CHUNKS_PER_DOC:-5}
DOCS=$(( (CHUNKS * 100 + CHUNKS_PER_DOC * 100 - 1) / (CHUNKS_PER_DOC * 100) ))
KEY=bench-operator-key-0123456789
BENCH=$(cd "$(dirname "$0")" && pwd)
PG_BIN=${PG_BIN:-$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -1)")}
AUTH=(-H "Authorization: Bearer $KEY")
J='Content-Type: application/json'

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
now() { date +%s.%N; }
since() { python3 -c "print(f'{$(now) - $1:.1f}')"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# PostgreSQL refuses to run as root: then it runs as the postgres user, in a directory it owns
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else bash -c "$1"; fi; }
PGDATA_DIR=${PGDATA_DIR:-$(mktemp -d /tmp/brain-scale-pg.XXXXXX)}
[ "$(id -u)" = 0 ] && chown postgres "$PGDATA_DIR"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$PGDATA_DIR/postmaster.pid" ] && as_pg "'$PG_BIN/pg_ctl' -D '$PGDATA_DIR' -m fast stop" > /dev/null 2>&1 || true
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/a" "$WORK/b" "$WORK/c" "$WORK/store" "$PGDATA_DIR"
}
trap cleanup EXIT

JAR=${JAR:-$(ls target/brainplane-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  log "building the jar"
  ./mvnw -B -q -DskipTests package
  JAR=$(ls target/brainplane-*.jar | grep -v original | head -1)
fi
rm -rf "$WORK/a" "$WORK/b" "$WORK/c" "$WORK/store"
mkdir -p "$WORK"
[ -d "$WORK/docs-$DOCS" ] || python3 "$BENCH/generate.py" "$DOCS" "$WORK/docs-$DOCS"

log "PostgreSQL on port $PG_PORT (data in $PGDATA_DIR)"
as_pg "'$PG_BIN/initdb' -D '$PGDATA_DIR' -U brain --auth=trust" > /dev/null
as_pg "'$PG_BIN/pg_ctl' -D '$PGDATA_DIR' -l '$PGDATA_DIR/log' -w -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_connections=100' start" > /dev/null
python3 "$BENCH/fake-embeddings.py" "$EMBED_PORT" "$DIM" > "$WORK/embeddings.log" 2>&1 &
pids+=($!)

# start NAME OFFSET: starts a replica (its pid in $last) with with its own data directory, the shared database and store
start() {
  local name=$1 port=$((PORT + $2))
  rm -rf "${WORK:?}/$name"
  BRAIN_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" BRAIN_DATABASE_USERNAME=brain \
  BRAIN_DATABASE_PASSWORD=unused \
  java $JAVA_OPTS -jar "$JAR" --server.port=$port --management.server.port=$((port + 1)) \
    --brain.data-dir="$WORK/$name" --brain.embedding.provider=openai \
    --brain.embedding.openai.base-url="http://127.0.0.1:$EMBED_PORT/v1" --brain.embedding.openai.api-key=bench \
    --brain.embedding.openai.model=fake-$DIM --brain.embedding.openai.requests-per-minute=10000000 \
    --brain.index.segment-store=filesystem --brain.index.segment-store-path="$WORK/store" \
    "--brain.security.keys[0].name=bench" "--brain.security.keys[0].role=operator" "--brain.security.keys[0].key=$KEY" \
    --brain.ratelimit.search-per-minute=100000000 --brain.ratelimit.default-per-minute=100000000 \
    > "$WORK/$name.log" 2>&1 &
  pids+=($!)
  last=$!
}
# ready OFFSET: waits for the replica's readiness probe (the active version open locally)
ready() {
  local mport=$((PORT + $1 + 1))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/actuator/health/readiness")" = 200 ]; do
    sleep 0.2
  done
}
rss() { [ -n "$1" ] || { echo -; return; }; awk '/VmRSS|VmHWM|RssAnon|RssFile/ {printf "%s %.0f MiB  ", $1, $2 / 1024}' "/proc/$1/status"; }

A=http://127.0.0.1:$PORT/brain
B=http://127.0.0.1:$((PORT + 2))/brain

start a 0; pid_a=$last
until curl -sf -o /dev/null "http://127.0.0.1:$((PORT + 1))/actuator/health/liveness"; do sleep 0.5; done

log "loading $DOCS documents (about $CHUNKS chunks)"
t=$(now)
v1=$(curl -sf "${AUTH[@]}" -X POST "$A/versions" -H "$J" -d '{"label":"scale","base":"none"}' | json 'd["version"]')
for f in "$WORK/docs-$DOCS"/batch-*.ndjson; do
  curl -sf "${AUTH[@]}" -X PUT "$A/versions/$v1/documents" -H 'Content-Type: application/x-ndjson' --data-binary "@$f" > /dev/null
done
until [ "$(curl -sf "${AUTH[@]}" "$A/versions/$v1" | json 'd["progress"]["state"]')" = DONE ]; do sleep 2; done
ingest_s=$(since "$t")
log "ingested in $ingest_s s; sealing (full build)"
t=$(now)
curl -sf "${AUTH[@]}" -X POST "$A/versions/$v1/seal" > /dev/null
full_s=$(since "$t")
chunks=$(curl -sf "${AUTH[@]}" "$A/versions/$v1" | json 'd["chunkCount"]')
curl -sf "${AUTH[@]}" -X POST "$A/versions/$v1/activate" -H "$J" -d '{}' > /dev/null
log "version $v1: $chunks chunks, full seal $full_s s"

log "second replica joins (fetches version $v1 from the store)"
t=$(now)
start b 2; pid_b=$last
ready 2
join_b_s=$(since "$t")

log "changing $CHANGED documents"
python3 - "$WORK/changed.ndjson" "$CHANGED" <<'PY'
import json, random, sys
rng = random.Random(7)
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10))) for _ in range(5000)]
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        text = "\n\n".join(" ".join(rng.choice(words) for _ in range(96)) for _ in range(5))
        f.write(json.dumps({"key": f"doc-{i * 7}", "title": f"Changed {i}", "content": text}) + "\n")
PY
v2=$(curl -sf "${AUTH[@]}" -X POST "$A/versions" -H "$J" -d "{\"label\":\"change\",\"base\":\"$v1\"}" | json 'd["version"]')
curl -sf "${AUTH[@]}" -X PUT "$A/versions/$v2/documents" -H 'Content-Type: application/x-ndjson' --data-binary "@$WORK/changed.ndjson" > /dev/null
until [ "$(curl -sf "${AUTH[@]}" "$A/versions/$v2" | json 'd["progress"]["state"]')" = DONE ]; do sleep 0.5; done
t=$(now)
curl -sf "${AUTH[@]}" -X POST "$A/versions/$v2/seal" > /dev/null
change_s=$(since "$t")
t=$(now)
curl -sf "${AUTH[@]}" -X POST "$A/versions/$v2/activate" -H "$J" -d '{}' > /dev/null
until [ "$(curl -s -o /dev/null -D - "${AUTH[@]}" "$B/search?q=changed&mode=lexical" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-brain-version" {print $2}')" = "$v2" ]; do
  sleep 0.05
done
serve_b_s=$(since "$t")
log "version $v2 sealed in $change_s s; replica b served it $serve_b_s s after activation"

join_c_s=- search="- (QUICK=1)" pid_c=
if [ "${QUICK:-0}" != 1 ]; then
log "fresh replica joins on version $v2"
t=$(now)
start c 4; pid_c=$last
ready 4
join_c_s=$(since "$t")
fi

dir1=$(ls -d "$WORK/a/index/v$v1-"*)
dir2=$(ls -d "$WORK/a/index/v$v2-"*)
disk=$(du -sk "$dir1" "$dir2" | awk '{printf "%s%.1f", (NR > 1 ? " " : ""), $1 / 1024}')
read -r disk1 disk2 <<< "$disk"

if [ "${QUICK:-0}" != 1 ]; then
log "search: wrk $CONC connections, $DUR s, mode $MODE, on replica b"
python3 - "$WORK/docs-$DOCS/batch-0000.ndjson" "$WORK/queries.txt" <<'PY'
import json, random, sys, urllib.parse
rng = random.Random(11)
docs = [json.loads(line) for line in open(sys.argv[1])]
with open(sys.argv[2], "w") as out:
    for _ in range(2000):
        words = rng.choice(docs)["content"].split()
        start = rng.randrange(max(1, len(words) - 3))
        out.write(urllib.parse.quote_plus(" ".join(words[start:start + rng.randint(2, 3)]).strip(".,")) + "\n")
PY
# warm-up, then the measured run
QUERIES="$WORK/queries.txt" BRAIN_KEY=$KEY MODE=$MODE wrk -t2 -c"$CONC" -d5s -s "$BENCH/scale-search.lua" "http://127.0.0.1:$((PORT + 2))" > /dev/null
search=$(QUERIES="$WORK/queries.txt" BRAIN_KEY=$KEY MODE=$MODE wrk -t2 -c"$CONC" -d"${DUR}s" -s "$BENCH/scale-search.lua" "http://127.0.0.1:$((PORT + 2))" | grep '^RESULT')
fi

# start-up and fetch times from a replica's log: "<start s> s start-up, fetch <ms> ms (v<version>)"
phases() {
  local started fetched
  started=$(grep -o 'Started BrainplaneApplication in [0-9.]*' "$WORK/$1.log" | awk '{print $4}' | head -1)
  fetched=$(grep -o "Fetched version $2 from the segment store .* in [0-9]* ms" "$WORK/$1.log" | awk '{print $(NF-1)}' | head -1)
  echo "${started:-?} s Spring start-up, then fetched version $2 in ${fetched:-?} ms"
}
# the first log line of replica $1 matching $2, from the match on
logged() { grep -o "$2" "$WORK/$1.log" | head -1 || true; }
sealed2=$(logged a "Sealed version $v2 in .*")
built2=$(logged a "Built local index of version $v2 .*")
sealed1=$(logged a "Sealed version $v1 in .*")
cat <<OUT

## bench/scale.sh $CHUNKS  ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, DIM=$DIM, JAVA_OPTS=$JAVA_OPTS)

| step | figure |
| --- | --- |
| chunks in the brain | $chunks ($DOCS documents) |
| ingestion (chunking, fake embeddings) | $ingest_s s |
| full build: first seal (build, check, publish to the store) | $full_s s |
| its steps (a's log) | ${sealed1:-?} |
| replica b joins (start to ready, version $v1 from the store) | $join_b_s s: $(phases b "$v1") |
| $CHANGED-document version sealed on a (incremental) | $change_s s |
| its steps (a's log) | ${sealed2:-?} |
| its build (a's log) | ${built2:-?} |
| replica b serves it after activation | $serve_b_s s |
| fresh replica c joins on version $v2 | $join_c_s s: $([ -n "$pid_c" ] && phases c "$v2") |
| disk: version $v1 / added by version $v2 | $disk1 MiB / $disk2 MiB |
| RSS a (built both) | $(rss "$pid_a") |
| RSS b (fetched, searched) | $(rss "$pid_b") |
| RSS c (fetched) | $(rss "$pid_c") |
| search on b ($MODE, $CONC connections, $DUR s) | $search |
OUT
