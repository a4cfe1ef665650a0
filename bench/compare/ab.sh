#!/usr/bin/env bash
# Interleaved A/B of two builds (or two settings) on ONE brain: the brain is loaded and sealed once,
# then each arm serves it in turn, A,B,A,B,... (ROUNDS pairs), each run: start the service on that
# brain, warm up WARM s, measure DUR s with wrk (same queries, key and settings as compare.sh), stop.
# So the spread between runs of the same arm is known, and a difference between arms can be judged
# against it.
# usage (from the project root, after ./mvnw -B -DskipTests package):
#   A=/tmp/before.jar B=/tmp/after.jar bench/compare/ab.sh
#   A=x.jar B=x.jar ARGS_B="--server.tomcat.threads.max=4" bench/compare/ab.sh   two settings of one build
#   DOCS=36000 CONC=32 WARM=20 DUR=20 ROUNDS=2 MODE=lexical|hybrid K=10 REBUILD=1 (load a new brain)
#   ROUNDS=0 loads the brain (with A) and stops: load it before a quiet window, measure in it
#   MODE=hybrid: chunks and queries get vectors from bench/fake-embeddings.py (instant), as in
#   compare.sh; each run warms and measures lexical, then hybrid.
# Prints one line per run (arm, round, load average before it, rps, p50, p99, the service JVM's CPU
# per request) and, per arm, the mean, min and max, then B/A of the means.
set -euo pipefail
B_DIR=$(cd "$(dirname "$0")" && pwd); P=$(pwd)
DOCS=${DOCS:-36000}; CONC=${CONC:-32}; DUR=${DUR:-20}; WARM=${WARM:-20}; ROUNDS=${ROUNDS:-2}
MODE=${MODE:-lexical}
A=${A:?A=path/to/a.jar}; B=${B:?B=path/to/b.jar}
W=${BENCH_WORK:-$P/target/bench-ab}; mkdir -p "$W"
KEY=bench-operator-key-0123456789
PORT=18986; MPORT=18987; EPORT=18988
D=$W/data-$MODE-$DOCS
SVC=; EMB=; cleanup() { [ -n "$SVC" ] && kill "$SVC" 2>/dev/null || true; [ -n "$EMB" ] && kill "$EMB" 2>/dev/null || true; }
trap cleanup EXIT
C=$W/corpus-$DOCS
[ -f "$C/documents.ndjson" ] || python3 "$B_DIR/gen-corpus.py" "$C" "$DOCS" >/dev/null
[ -d "$C/batches" ] || { mkdir -p "$C/batches"; split -l 1000 -d -a 3 "$C/documents.ndjson" "$C/batches/b"; }
EMBED=(--brain.embedding.provider=none)
if [ "$MODE" = hybrid ]; then
  python3 "$P/bench/fake-embeddings.py" "$EPORT" 384 > "$W/embeddings.log" 2>&1 & EMB=$!
  EMBED=(--brain.embedding.provider=openai --brain.embedding.openai.base-url="http://127.0.0.1:$EPORT/v1"
    --brain.embedding.openai.api-key=bench --brain.embedding.openai.model=fake-384
    --brain.embedding.openai.requests-per-minute=10000000)
fi
api() { curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
start() { # JAR EXTRA_ARGS LOG
  # shellcheck disable=SC2086
  BRAIN_OPERATOR_KEY=$KEY java -Xmx1g -jar "$1" --server.port=$PORT --management.server.port=$MPORT \
    --brain.data-dir="$D" --brain.ratelimit.enabled=false "${EMBED[@]}" --brain.search.cache-size=0 $2 > "$3" 2>&1 &
  SVC=$!
  until curl -fs "http://127.0.0.1:$MPORT/actuator/health/readiness" >/dev/null; do
    kill -0 "$SVC" 2>/dev/null || { echo "service failed to start, see $3" >&2; exit 1; }; sleep 0.5
  done
}
stop() { kill "$SVC"; wait "$SVC" 2>/dev/null || true; SVC=; }
if [ "${REBUILD:-0}" = 1 ] || [ ! -d "$D/index" ]; then
  rm -rf "$D"
  start "$A" "${ARGS_A:-}" "$W/load.log"
  v=$(api -X POST -d '{"label":"bench","base":"none"}' "http://127.0.0.1:$PORT/brain/versions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
  for f in "$C"/batches/b*; do
    curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $KEY" -H 'Content-Type: application/x-ndjson' --data-binary @"$f" "http://127.0.0.1:$PORT/brain/versions/$v/documents"
  done
  until [ "$(api "http://127.0.0.1:$PORT/brain/versions/$v" | python3 -c 'import json,sys; print(json.load(sys.stdin)["progress"]["state"])')" = DONE ]; do sleep 0.5; done
  chunks=$(api -X POST "http://127.0.0.1:$PORT/brain/versions/$v/seal" | python3 -c 'import json,sys; print(json.load(sys.stdin)["chunkCount"])')
  api -X POST -d '{"force":true}' "http://127.0.0.1:$PORT/brain/versions/$v/activate" >/dev/null
  echo "loaded brain: $chunks chunks in $D (with $A)"
  stop
fi
[ "$ROUNDS" = 0 ] && exit 0   # ROUNDS=0: load the brain only
. "$B_DIR/cpu.sh"
export QUERIES=$C/queries.txt KEY K=${K:-10}
run() { # ARM JAR ARGS ROUND
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  start "$2" "$3" "$W/service-$1-$4.log"
  until curl -fs -o /dev/null -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/brain/search?q=a"; do sleep 0.5; done
  MODE=lexical wrk -t2 -c"$CONC" -d"${WARM}s" -s "$B_DIR/wrk-search.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
  local c0 c1 res
  c0=$(cpu "$D" "$SVC")
  res=$(MODE=lexical wrk -t2 -c"$CONC" -d"${DUR}s" -s "$B_DIR/wrk-search.lua" "http://127.0.0.1:$PORT" 2>&1 | grep RESULT)
  c1=$(cpu "$D" "$SVC")
  echo "$1 $4 lexical $load $c0 $c1 $res" | awk '{split($0, a, "requests="); n = a[2] + 0;
    printf "arm=%s round=%s mode=%s load_before=%s %s %s %s jvm_cpu_ms_per_req=%.3f\n", $1, $2, $3, $4, $10, $11, $13, 1000 * ($8 - $6) / n}'
  if [ "$MODE" = hybrid ]; then
    MODE=hybrid wrk -t2 -c"$CONC" -d"${WARM}s" -s "$B_DIR/wrk-search.lua" "http://127.0.0.1:$PORT" >/dev/null 2>&1
    c0=$(cpu "$D" "$SVC")
    res=$(MODE=hybrid wrk -t2 -c"$CONC" -d"${DUR}s" -s "$B_DIR/wrk-search.lua" "http://127.0.0.1:$PORT" 2>&1 | grep RESULT)
    c1=$(cpu "$D" "$SVC")
    echo "$1 $4 hybrid - $c0 $c1 $res" | awk '{split($0, a, "requests="); n = a[2] + 0;
      printf "arm=%s round=%s mode=%s load_before=%s %s %s %s jvm_cpu_ms_per_req=%.3f\n", $1, $2, $3, $4, $10, $11, $13, 1000 * ($8 - $6) / n}'
  fi
  stop
}
OUT=$W/ab-$(date -u +%H%M%S).txt
echo "A=$A ${ARGS_A:-}; B=$B ${ARGS_B:-}; DOCS=$DOCS CONC=$CONC WARM=$WARM DUR=$DUR MODE=$MODE" | tee "$OUT"
for r in $(seq 1 "$ROUNDS"); do
  run A "$A" "${ARGS_A:-}" "$r" | tee -a "$OUT"
  run B "$B" "${ARGS_B:-}" "$r" | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import re, sys
rows = [dict(kv.split("=", 1) for kv in l.split()) for l in open(sys.argv[1]) if l.startswith("arm=")]
for mode in sorted({r["mode"] for r in rows}):
    means = {}
    for arm in ("A", "B"):
        rs = [r for r in rows if r["arm"] == arm and r["mode"] == mode]
        rps = [float(r["rps"]) for r in rs]; p99 = [float(r["p99_ms"]) for r in rs]
        cpu = [float(r["jvm_cpu_ms_per_req"]) for r in rs]
        means[arm] = sum(rps) / len(rps)
        print(f"{mode} {arm}: rps mean {means[arm]:.1f} (min {min(rps):.1f}, max {max(rps):.1f}, spread {100 * (max(rps) - min(rps)) / means[arm]:.0f} %)"
              f"  p99 mean {sum(p99) / len(p99):.1f} ms (min {min(p99):.1f}, max {max(p99):.1f})"
              f"  cpu/req mean {sum(cpu) / len(cpu):.3f} ms")
    print(f"{mode} B/A rps = {means['B'] / means['A']:.2f}")
PY
