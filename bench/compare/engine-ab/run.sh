#!/usr/bin/env bash
# In-process, interleaved A/B of the lexical engine work on ab.sh's brain (one thread, blocks of
# 1,000 queries alternating A and B, the thread's CPU time per query; the first quarter of the
# blocks is warm-up). Load that drifts hits both arms alike, so this resolves a few percent where
# HTTP runs on a shared machine cannot.
#   MODE=1: A = the search as it was before the sixth round (top 10 counting 1,000 hits, each term's
#           docFreq looked up again for the verdict), B = as now (no count, shared term statistics)
#   MODE=0: A = no count only, B = no count + shared term statistics
# Also checks that both give the same top 10 (docs and scores) and verdict statistic for every query.
# CLASS=StoredAB: the same way, pieces of the lexical search on their own, each variant's thread CPU
#   and allocated bytes per query (StoredAB.java):
#   MODE=stored: the top 10's stored fields read through a new reader per search, a reader kept by
#                the thread, or a kept merge instance (one decompression buffer, whole blocks)
#   MODE=lz4:    the top 10's stored fields through a kept reader decompressing with Lucene's LZ4
#                (straight from the mapped file) or with BrainCodec's (from a copy on the heap)
#   MODE=terms:  each query term's text and title statistics by TermStates.build, or through kept
#                term cursors
# usage (from the project root, after ./mvnw -B -q compile and DOCS=36000 ROUNDS=0 bench/compare/ab.sh):
#   MODE=1 BLOCKS=40 bench/compare/engine-ab/run.sh
set -euo pipefail
P=$(pwd); D=$(cd "$(dirname "$0")" && pwd); W=${BENCH_WORK:-$P/target/bench-ab}; DOCS=${DOCS:-36000}
[ -f "$W/engine-ab.cp" ] || ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$W/engine-ab.cp" >/dev/null
mkdir -p "$W/engine-ab"
javac -d "$W/engine-ab" -cp "$P/target/classes:$(cat "$W/engine-ab.cp")" "$D/EngineAB.java" "$D/StoredAB.java" "$D/Setup.java"
java -Xmx1g -cp "$W/engine-ab:$P/target/classes:$(cat "$W/engine-ab.cp")" "${CLASS:-EngineAB}" "$W/data-lexical-$DOCS/index" \
  "$W/corpus-$DOCS/queries.txt" "${BLOCKS:-40}" "${MODE:-1}"
