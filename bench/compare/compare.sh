#!/usr/bin/env bash
# Side-by-side search speed on one machine, in one run: Brainplane GET /brain/search (HTTP, lexical,
# result cache off, auth + recording on) vs PostgreSQL full-text search (GIN + ts_rank_cd, pgbench) vs
# plain Lucene BM25 in process (lucene-peer). Same documents, same queries, same concurrency.
# usage (from the project root, after ./mvnw -B -DskipTests package):
#   bench/compare/compare.sh              DOCS=36000 CONC=32 DUR=20 WARM=20 to change the size
#   JAR=path/to/other.jar bench/compare/compare.sh   to measure another build
#   ARGS="--server.tomcat.threads.max=8" bench/compare/compare.sh   extra arguments for the service
#   MODE=hybrid DOCS=8000 PEERS=0 bench/compare/compare.sh   lexical and hybrid side by side on one service:
#     chunks get vectors from bench/fake-embeddings.py (instant, so the model is out of the figures);
#     both modes are warmed (hybrid's warm-up fills the query-vector cache), then measured back to back.
#     PEERS=0 skips PostgreSQL and Lucene.
# Needs: wrk, pgbench + PostgreSQL server binaries (Debian: postgresql), python3, mvn or ./mvnw.
set -euo pipefail
B=$(cd "$(dirname "$0")" && pwd); P=$(pwd)
DOCS=${DOCS:-36000}; CONC=${CONC:-32}; DUR=${DUR:-20}; WARM=${WARM:-20}; MODE=${MODE:-lexical}; PEERS=${PEERS:-1}
W=${BENCH_WORK:-$P/target/bench}; mkdir -p "$W"
JAR=${JAR:-$(ls "$P"/target/*.jar | grep -v plain | head -1)}
KEY=bench-operator-key-0123456789
PORT=18980; MPORT=18981; PGP=55499; EPORT=18984
PIDS=(); cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -d "$W/pg/data" ] && su postgres -c "$PGBIN/pg_ctl -D $W/pg/data -m fast -w stop" >/dev/null 2>&1 || true; }
trap cleanup EXIT
C=$W/corpus-$DOCS
[ -f "$C/documents.ndjson" ] || python3 "$B/gen-corpus.py" "$C" "$DOCS" >/dev/null
[ -d "$C/batches" ] || { mkdir -p "$C/batches"; split -l 1000 -d -a 3 "$C/documents.ndjson" "$C/batches/b"; }

# 1. Brainplane
rm -rf "$W/data"
EMBED=(--brain.embedding.provider=none)
if [ "$MODE" = hybrid ]; then
  python3 "$P/bench/fake-embeddings.py" "$EPORT" 384 > "$W/embeddings.log" 2>&1 & PIDS+=($!)
  EMBED=(--brain.embedding.provider=openai --brain.embedding.openai.base-url="http://127.0.0.1:$EPORT/v1"
    --brain.embedding.openai.api-key=bench --brain.embedding.openai.model=fake-384
    --brain.embedding.openai.requests-per-minute=10000000)
fi
# shellcheck disable=SC2086
BRAIN_OPERATOR_KEY=$KEY java -Xmx1g -jar "$JAR" --server.port=$PORT --management.server.port=$MPORT \
  --brain.data-dir="$W/data" --brain.ratelimit.enabled=false "${EMBED[@]}" \
  --brain.search.cache-size=0 ${ARGS:-} > "$W/service.log" 2>&1 & SVC=$!; PIDS+=($SVC)
until curl -fs "http://127.0.0.1:$MPORT/actuator/health/readiness" >/dev/null; do sleep 0.5; done
api() { curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
v=$(api -X POST -d '{"label":"bench","base":"none"}' "http://127.0.0.1:$PORT/brain/versions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
t0=$(date +%s%3N)
for f in "$C"/batches/b*; do
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $KEY" -H 'Content-Type: application/x-ndjson' --data-binary @"$f" "http://127.0.0.1:$PORT/brain/versions/$v/documents"
done
# seals answer 409 while ingestion jobs run: wait for the version's progress to be DONE
until [ "$(api "http://127.0.0.1:$PORT/brain/versions/$v" | python3 -c 'import json,sys; print(json.load(sys.stdin)["progress"]["state"])')" = DONE ]; do sleep 0.5; done
t1=$(date +%s%3N)
chunks=$(api -X POST "http://127.0.0.1:$PORT/brain/versions/$v/seal" | python3 -c 'import json,sys; print(json.load(sys.stdin)["chunkCount"])')
t2=$(date +%s%3N)
api -X POST -d '{"force":true}' "http://127.0.0.1:$PORT/brain/versions/$v/activate" >/dev/null
export QUERIES=$C/queries.txt KEY
# warm-up long enough for the JIT to finish (5 s left the service half compiled)
MODE=lexical wrk -t2 -c"$CONC" -d"${WARM}s" -s "$B/wrk-search.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
if [ "$MODE" = hybrid ]; then
  # the hybrid warm-up embeds every query once (the query-vector cache holds them all)
  MODE=hybrid wrk -t2 -c"$CONC" -d"${WARM}s" -s "$B/wrk-search.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
fi
# CPU of the service's JVM and of its embedded PostgreSQL while the lexical run is measured
. "$B/cpu.sh"
c0=$(cpu "$W/data" "$SVC")
svc=$(MODE=lexical wrk -t2 -c"$CONC" -d"${DUR}s" -s "$B/wrk-search.lua" "http://127.0.0.1:$PORT" 2>&1 | grep RESULT)
c1=$(cpu "$W/data" "$SVC")
cpu_line=$(echo "$c0 $c1 $svc" | awk '{split($0, a, "requests="); n = a[2] + 0;
  printf "cpu_during_run service_jvm_s=%.1f postgres_s=%.1f service_jvm_ms_per_request=%.3f postgres_ms_per_request=%.3f",
  $4 - $2, $3 - $1, 1000 * ($4 - $2) / n, 1000 * ($3 - $1) / n}')
if [ "$MODE" = hybrid ]; then
  hyb=$(MODE=hybrid wrk -t2 -c"$CONC" -d"${DUR}s" -s "$B/wrk-search.lua" "http://127.0.0.1:$PORT" 2>&1 | grep RESULT)
fi
kill "$SVC"; wait "$SVC" 2>/dev/null || true
if [ "$PEERS" = 0 ]; then
  echo "chunks=$chunks ingest_chunks_per_min=$(( chunks * 60000 / (t1 - t0 + 1) )) seal_ms=$((t2 - t1))"
  echo "brainplane lexical: $svc"
  echo "$cpu_line"
  if [ "$MODE" = hybrid ]; then
    echo "brainplane hybrid: $hyb"
    awk "BEGIN{printf \"hybrid/lexical=%.2f\\n\", $(echo "$hyb" | sed 's/.*rps=\([0-9.]*\).*/\1/')/$(echo "$svc" | sed 's/.*rps=\([0-9.]*\).*/\1/')}"
  fi
  exit 0
fi

# 2. PostgreSQL full-text search on the same documents and queries
# PostgreSQL server binaries: PGBIN, else wherever pg_ctl is on the PATH, else pg_config's bindir
PGBIN=${PGBIN:-$(p=$(command -v pg_ctl) && dirname "$(readlink -f "$p")" || pg_config --bindir)}
rm -rf "$W/pg"; mkdir -p "$W/pg"; chown postgres "$W/pg"
su postgres -c "$PGBIN/initdb -D $W/pg/data -A trust -U postgres" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $W/pg/data -o '-p $PGP -k $W/pg -c listen_addresses=127.0.0.1' -l $W/pg/log -w start" >/dev/null
PSQL="psql -q -h 127.0.0.1 -p $PGP -U postgres"
$PSQL -c "create table docs(key text primary key, content text, tsv tsvector); create table qs(id serial primary key, q text);" >/dev/null
python3 -c "
import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l); t=(d.get('title','')+' '+d['content']).replace('\\\\','\\\\\\\\').replace('\t',' ').replace('\n',' ')
    sys.stdout.write(d['key']+'\t'+t+'\n')" "$C/documents.ndjson" | $PSQL -c "\copy docs(key,content) from stdin" >/dev/null
python3 -c "
import sys, urllib.parse
for l in open(sys.argv[1]): print(urllib.parse.unquote(l.strip()))" "$C/queries.txt" | $PSQL -c "\copy qs(q) from stdin" >/dev/null
$PSQL -c "update docs set tsv=to_tsvector('english',content)" -c "create index on docs using gin(tsv)" -c "vacuum analyze docs" >/dev/null
nq=$(wc -l < "$C/queries.txt")
cat > "$W/pgb.sql" <<SQL
\set id random(1, $nq)
select d.key, ts_rank_cd(d.tsv, q) as r from docs d, (select replace(plainto_tsquery('english', q)::text, '&', '|')::tsquery q from qs where id = :id) x where d.tsv @@ x.q order by r desc limit 10;
SQL
pgbench -h 127.0.0.1 -p $PGP -U postgres -n -c 8 -j 2 -T 5 -f "$W/pgb.sql" postgres >/dev/null 2>&1
pgb=$(pgbench -h 127.0.0.1 -p $PGP -U postgres -n -c "$CONC" -j 2 -T "$DUR" -f "$W/pgb.sql" postgres 2>&1)
pg_tps=$(echo "$pgb" | grep -E '^tps' | sed 's/tps = \([0-9.]*\).*/\1/')
su postgres -c "$PGBIN/pg_ctl -D $W/pg/data -m fast -w stop" >/dev/null; rm -rf "$W/pg"

# 3. Plain Lucene in process (2 threads)
MVN=mvn; command -v mvn >/dev/null || MVN="$P/mvnw"
luc=$( (cd "$B/lucene-peer" && $MVN -q -B compile exec:java -Dexec.mainClass=LucenePeer -Dexec.args="$C 2 $DUR") 2>&1 | grep RESULT)
luc_qps=$(echo "$luc" | sed 's/.*lucene_qps=\([0-9.]*\).*/\1/')
svc_rps=$(echo "$svc" | sed 's/.*rps=\([0-9.]*\).*/\1/')
echo "chunks=$chunks ingest_chunks_per_min=$(( chunks * 60000 / (t1 - t0 + 1) )) seal_ms=$((t2 - t1))"
echo "brainplane: $svc"
echo "$cpu_line"
[ "$MODE" = hybrid ] && echo "brainplane hybrid: $hyb"
echo "postgres_fts: tps=$pg_tps"
echo "lucene_in_process: $luc"
awk "BEGIN{printf \"brainplane/postgres=%.2f brainplane/lucene=%.2f\n\", $svc_rps/$pg_tps, $svc_rps/$luc_qps}"
