#!/usr/bin/env bash
# Where a lexical GET /brain/search spends its CPU: the service under wrk (same corpus, queries, key
# and settings as compare.sh) with Java Flight Recorder on, then the hottest frames of the samples.
# usage (from the project root, after ./mvnw -B -DskipTests package):
#   bench/compare/profile.sh            DOCS=36000 CONC=32 WARM=30 DUR=20 JAR=target/x.jar REUSE=1
# Writes $BENCH_WORK/search.jfr (default target/bench) and prints: top self frames, and the share
# of samples under each of a few layers (Tomcat/filters, security, MVC, Jackson, Lucene, search, ...).
set -euo pipefail
B=$(cd "$(dirname "$0")" && pwd); P=$(pwd)
DOCS=${DOCS:-36000}; CONC=${CONC:-32}; DUR=${DUR:-20}
W=${BENCH_WORK:-$P/target/bench}; mkdir -p "$W"
JAR=${JAR:-$(ls "$P"/target/*.jar | grep -v plain | head -1)}
KEY=bench-operator-key-0123456789
PORT=18982; MPORT=18983
PID=; cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; }
trap cleanup EXIT
C=$W/corpus-$DOCS
[ -f "$C/documents.ndjson" ] || python3 "$B/gen-corpus.py" "$C" "$DOCS" >/dev/null
[ -d "$C/batches" ] || { mkdir -p "$C/batches"; split -l 1000 -d -a 3 "$C/documents.ndjson" "$C/batches/b"; }
# REUSE=1 serves the brain a previous run left in $W/pdata instead of loading it again
[ "${REUSE:-0}" = 1 ] && [ -d "$W/pdata/index" ] || { REUSE=0; rm -rf "$W/pdata"; }
rm -f "$W/search.jfr"
BRAIN_OPERATOR_KEY=$KEY java -Xmx1g -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
  -XX:StartFlightRecording=name=search,settings=profile -jar "$JAR" \
  --server.port=$PORT --management.server.port=$MPORT \
  --brain.data-dir="$W/pdata" --brain.ratelimit.enabled=false --brain.embedding.provider=none \
  --brain.search.cache-size=0 > "$W/profile-service.log" 2>&1 & PID=$!
until curl -fs "http://127.0.0.1:$MPORT/actuator/health/readiness" >/dev/null; do sleep 0.5; done
api() { curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
if [ "$REUSE" = 0 ]; then
v=$(api -X POST -d '{"label":"bench","base":"none"}' "http://127.0.0.1:$PORT/brain/versions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
for f in "$C"/batches/b*; do
  curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $KEY" -H 'Content-Type: application/x-ndjson' --data-binary @"$f" "http://127.0.0.1:$PORT/brain/versions/$v/documents"
done
until [ "$(api "http://127.0.0.1:$PORT/brain/versions/$v" | python3 -c 'import json,sys; print(json.load(sys.stdin)["progress"]["state"])')" = DONE ]; do sleep 0.5; done
api -X POST "http://127.0.0.1:$PORT/brain/versions/$v/seal" >/dev/null
api -X POST -d '{"force":true}' "http://127.0.0.1:$PORT/brain/versions/$v/activate" >/dev/null
fi
until curl -fs -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/brain/search?q=a"; do sleep 0.5; done
export QUERIES=$C/queries.txt KEY K=${K:-10}
# JFR runs from the start (starting it later deoptimises compiled code and profiles the
# interpreter); only the samples of the measured run are kept
wrk -t2 -c"$CONC" -d"${WARM:-30}s" -s "$B/wrk-search.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
# CPU of the service's JVM and of its embedded PostgreSQL during the measured run
. "$B/cpu.sh"
# CPU of the service's threads by name (/proc/<pid>/task/*/comm; digits as N): request threads, GC,
# JIT compilers, background writers
threads() { python3 - "$PID" <<'PY'
import os, re, sys
pid = sys.argv[1]; out = {}
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        comm = open(f"/proc/{pid}/task/{t}/comm").read().strip()
        f = open(f"/proc/{pid}/task/{t}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    k = re.sub(r"[0-9]+", "N", comm); out[k] = out.get(k, 0) + int(f[11]) + int(f[12])
print(" ".join(f"{k.replace(' ', '_')}={v}" for k, v in out.items()))
PY
}
t0=$(threads)
c0=$(cpu "$W/pdata" "$PID")
res=$(wrk -t2 -c"$CONC" -d"${DUR}s" -s "$B/wrk-search.lua" "http://127.0.0.1:$PORT" 2>&1 | grep RESULT)
c1=$(cpu "$W/pdata" "$PID")
t1=$(threads)
echo "$res"
echo "service CPU by thread during the run (share of the JVM's CPU):"
python3 - "$t0" "$t1" <<'PY'
import sys
a = dict(kv.rsplit("=", 1) for kv in sys.argv[1].split()); b = dict(kv.rsplit("=", 1) for kv in sys.argv[2].split())
d = {k: int(v) - int(a.get(k, 0)) for k, v in b.items()}; total = sum(max(0, v) for v in d.values()) or 1
for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:10]:
    print(f"  {100.0 * v / total:5.1f}%  {k}")
PY
echo "$c0 $c1 $res" | awk '{split($0, a, "requests="); n = a[2] + 0;
  printf "cpu_during_run service_jvm_s=%.1f postgres_s=%.1f service_jvm_ms_per_request=%.3f postgres_ms_per_request=%.3f\n",
  $4 - $2, $3 - $1, 1000 * ($4 - $2) / n, 1000 * ($3 - $1) / n}'
jcmd "$PID" JFR.dump name=search begin=-"${DUR}s" filename="$W/search.jfr" >/dev/null
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
jfr print --events jdk.ExecutionSample --stack-depth 200 "$W/search.jfr" | LAST="$DUR" python3 "$B/jfr-layers.py"
