#!/usr/bin/env bash
# One build on ab.sh's brain with a GC log (and optionally Java Flight Recorder): warm WARM s, measure
# DUR s with wrk (same queries, key and settings as compare.sh), then print the run, the JVM's CPU per
# request and, from the GC log's last DUR s, the young collections, their pauses and the bytes
# allocated per request (heap before each collection minus heap after the one before, so no JFR needed).
# usage (from the project root; the brain of ab.sh must exist: DOCS=36000 ROUNDS=0 bench/compare/ab.sh):
#   JAR=target/brainplane-0.1.0-SNAPSHOT.jar bench/compare/gc.sh
#   JFR=1 ... also records JFR (settings=profile: allocation samples) into $OUT/rec.jfr
#   DOCS=36000 CONC=32 WARM=40 DUR=30 OUT=target/bench-ab/gc-run
set -euo pipefail
B_DIR=$(cd "$(dirname "$0")" && pwd); P=$(pwd)
DOCS=${DOCS:-36000}; CONC=${CONC:-32}; WARM=${WARM:-40}; DUR=${DUR:-30}
JAR=${JAR:?JAR=path/to/brainplane.jar}
W=${BENCH_WORK:-$P/target/bench-ab}; D=$W/data-lexical-$DOCS; C=$W/corpus-$DOCS
[ -d "$D/index" ] || { echo "no brain in $D: run DOCS=$DOCS ROUNDS=0 bench/compare/ab.sh first" >&2; exit 1; }
O=${OUT:-$W/gc-run}; rm -rf "$O"; mkdir -p "$O"
KEY=bench-operator-key-0123456789
JFR_OPTS=(); [ -n "${JFR:-}" ] && JFR_OPTS=(-XX:StartFlightRecording=name=gc,settings=profile)
BRAIN_OPERATOR_KEY=$KEY java -Xmx1g "-Xlog:gc*:file=$O/gc.log:uptime,level,tags" "${JFR_OPTS[@]}" -jar "$JAR" \
  --server.port=18996 --management.server.port=18997 --brain.data-dir="$D" --brain.ratelimit.enabled=false \
  --brain.embedding.provider=none --brain.search.cache-size=0 > "$O/service.log" 2>&1 &
SVC=$!; trap 'kill $SVC 2>/dev/null || true' EXIT
until curl -fs "http://127.0.0.1:18997/actuator/health/readiness" >/dev/null; do
  kill -0 $SVC 2>/dev/null || { echo "service failed to start, see $O/service.log" >&2; exit 1; }; sleep 0.5
done
until curl -fs -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:18996/brain/search?q=a"; do sleep 0.5; done
. "$B_DIR/cpu.sh"
export QUERIES=$C/queries.txt KEY K=${K:-10}
wrk -t2 -c"$CONC" -d"${WARM}s" -s "$B_DIR/wrk-search.lua" http://127.0.0.1:18996 > /dev/null 2>&1
l=$(cut -d' ' -f1 /proc/loadavg); c0=$(cpu "$D" $SVC)
res=$(wrk -t2 -c"$CONC" -d"${DUR}s" -s "$B_DIR/wrk-search.lua" http://127.0.0.1:18996 2>&1 | grep RESULT)
c1=$(cpu "$D" $SVC)
[ -n "${JFR:-}" ] && jcmd $SVC JFR.dump name=gc filename="$O/rec.jfr" >/dev/null
echo "$res load_before=$l"
echo "$c0 $c1 $res" | awk '{split($0, a, "requests="); printf "jvm_cpu_ms_per_req=%.3f\n", 1000 * ($4 - $2) / (a[2] + 0)}'
python3 - "$O/gc.log" "$DUR" "$(echo "$res" | sed 's/.*requests=\([0-9]*\).*/\1/')" <<'PY'
import re, sys
rows = []
for l in open(sys.argv[1]):
    m = re.search(r"\[([\d.]+)s\].*GC\(\d+\) Pause Young.* (\d+)M->(\d+)M\(\d+M\) ([\d.]+)ms", l)
    if m: rows.append((float(m[1]), int(m[2]), int(m[3]), float(m[4])))
end = rows[-1][0]; win = [r for r in rows if r[0] >= end - float(sys.argv[2])]
alloc = sum(win[i][1] - win[i - 1][2] for i in range(1, len(win)))
req = int(sys.argv[3]) * (win[-1][0] - win[0][0]) / float(sys.argv[2])
p = sorted(r[3] for r in win)
print(f"young_gcs={len(win)} pause_total_ms={sum(p):.0f} pause_median_ms={p[len(p)//2]:.1f} pause_max_ms={p[-1]:.1f} "
      f"allocated_mb={alloc} allocated_kb_per_req={alloc * 1024 / req:.0f}")
PY
