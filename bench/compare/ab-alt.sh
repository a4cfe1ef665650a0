#!/usr/bin/env bash
# Interleaved A/B in short slices with BOTH services up: for a machine whose load drifts (other
# builds on the same cores). ab.sh's brain is copied once (a second data directory), arm A serves
# one copy and arm B the other, both warmed; then SLICES times: wrk on A for SLICE s, then on B for
# SLICE s, each with the CPU its JVM used. The idle arm costs next to nothing meanwhile, and load
# that drifts over minutes hits both arms alike. Prints each slice and, per arm, the median and
# quartiles of rps, p99 and the JVM's CPU per request, then B/A of the medians.
# usage (from the project root; the brain of ab.sh must exist: run ab.sh ROUNDS=0 first):
#   A=/tmp/before.jar B=/tmp/after.jar bench/compare/ab-alt.sh
#   DOCS=36000 CONC=32 WARM=40 SLICE=10 SLICES=12 ARGS_A=... ARGS_B=...
set -euo pipefail
B_DIR=$(cd "$(dirname "$0")" && pwd); P=$(pwd)
DOCS=${DOCS:-36000}; CONC=${CONC:-32}; WARM=${WARM:-40}; SLICE=${SLICE:-10}; SLICES=${SLICES:-12}
A=${A:?A=path/to/a.jar}; B=${B:?B=path/to/b.jar}
W=${BENCH_WORK:-$P/target/bench-ab}
KEY=bench-operator-key-0123456789
D=$W/data-lexical-$DOCS; C=$W/corpus-$DOCS
[ -d "$D/index" ] || { echo "no brain in $D: run DOCS=$DOCS ROUNDS=0 bench/compare/ab.sh first" >&2; exit 1; }
DB=$W/alt-b-$DOCS   # the copy (a name that is no prefix match of the original)
[ -d "$DB/index" ] || cp -a "$D" "$DB"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
start() { # JAR DATA PORT MPORT ARGS LOG -> pid in SVC
  # shellcheck disable=SC2086
  BRAIN_OPERATOR_KEY=$KEY java -Xmx1g -jar "$1" --server.port="$3" --management.server.port="$4" \
    --brain.data-dir="$2" --brain.ratelimit.enabled=false --brain.embedding.provider=none \
    --brain.search.cache-size=0 $5 > "$6" 2>&1 &
  SVC=$!; PIDS+=("$SVC")
  until curl -fs "http://127.0.0.1:$4/actuator/health/readiness" >/dev/null; do
    kill -0 "$SVC" 2>/dev/null || { echo "service failed to start, see $6" >&2; exit 1; }; sleep 0.5
  done
  until curl -fs -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$3/brain/search?q=a"; do sleep 0.5; done
}
start "$A" "$D" 18986 18987 "${ARGS_A:-}" "$W/alt-A.log"; PA=$SVC
start "$B" "$DB" 18988 18989 "${ARGS_B:-}" "$W/alt-B.log"; PB=$SVC
. "$B_DIR/cpu.sh"
export QUERIES=$C/queries.txt KEY K=${K:-10}
load() { wrk -t2 -c"$CONC" -d"$2s" -s "$B_DIR/wrk-search.lua" "http://127.0.0.1:$1" 2>&1 | grep RESULT; }
for _ in 1 2; do load 18986 $((WARM / 2)) >/dev/null; load 18988 $((WARM / 2)) >/dev/null; done
OUT=$W/ab-alt-$(date -u +%H%M%S).txt
echo "A=$A ${ARGS_A:-}; B=$B ${ARGS_B:-}; DOCS=$DOCS CONC=$CONC WARM=$WARM SLICE=$SLICE SLICES=$SLICES" | tee "$OUT"
slice() { # ARM PORT PID DATA I
  local l c0 c1 res; l=$(cut -d' ' -f1 /proc/loadavg)
  c0=$(cpu "$4" "$3"); res=$(load "$2" "$SLICE"); c1=$(cpu "$4" "$3")
  echo "$1 $5 $l $c0 $c1 $res" | awk '{split($0, a, "requests="); n = a[2] + 0;
    printf "arm=%s slice=%s load=%s %s %s %s jvm_cpu_ms_per_req=%.3f\n", $1, $2, $3, $9, $10, $12, 1000 * ($7 - $5) / n}' | tee -a "$OUT"
}
for i in $(seq 1 "$SLICES"); do
  if [ $((i % 2)) = 1 ]; then slice A 18986 "$PA" "$D" "$i"; slice B 18988 "$PB" "$DB" "$i"
  else slice B 18988 "$PB" "$DB" "$i"; slice A 18986 "$PA" "$D" "$i"; fi
done
python3 - "$OUT" <<'PY'
import sys
rows = [dict(kv.split("=", 1) for kv in l.split()) for l in open(sys.argv[1]) if l.startswith("arm=")]
def q(xs):
    xs = sorted(xs); n = len(xs); return xs[n // 2], xs[n // 4], xs[(3 * n) // 4]
med = {}
for arm in ("A", "B"):
    rs = [r for r in rows if r["arm"] == arm]
    rps = q([float(r["rps"]) for r in rs]); p99 = q([float(r["p99_ms"]) for r in rs])
    cpu = q([float(r["jvm_cpu_ms_per_req"]) for r in rs]); med[arm] = (rps[0], cpu[0], p99[0])
    print(f"{arm}: rps median {rps[0]:.1f} (quartiles {rps[1]:.1f}-{rps[2]:.1f})  p99 median {p99[0]:.1f} ms ({p99[1]:.1f}-{p99[2]:.1f})"
          f"  cpu/req median {cpu[0]:.3f} ms ({cpu[1]:.3f}-{cpu[2]:.3f})  slices {len(rs)}")
print(f"B/A: rps {med['B'][0] / med['A'][0]:.2f}, cpu/req {med['B'][1] / med['A'][1]:.2f}, p99 {med['B'][2] / med['A'][2]:.2f}")
b = [float(r["jvm_cpu_ms_per_req"]) for r in rows if r["arm"] == "B"]; a = [float(r["jvm_cpu_ms_per_req"]) for r in rows if r["arm"] == "A"]
pairs = list(zip(a, b)); print(f"slices where B used less CPU per request than A's slice beside it: {sum(1 for x, y in pairs if y < x)} of {len(pairs)}")
PY
