#!/usr/bin/env bash
# Embedding throughput of a running Brainplane, from its ingestion job timings.
#   bench/embed-throughput.sh DOCS [BASE_URL]        loads DOCS generated documents with
#                                                    bench/load-brain.sh, then reports
#   bench/embed-throughput.sh --version V [BASE_URL] reports on an existing version
# Prints chunks embedded per second over the wall clock of the jobs (first startedAt to last
# finishedAt; the jobs of one version run on brain.ingest.workers workers at once) and the
# per-job figures. Use a fresh data directory: chunks whose text was embedded before (by any
# version) are reused, not embedded again, and the generated documents are the same on every
# run. Env: BRAIN_KEY.
set -euo pipefail
if [ "${1:-}" = "--version" ]; then
  v=$2
  B=${3:-http://localhost:8080}
else
  B=${2:-http://localhost:8080}
  v=$("$(dirname "$0")/load-brain.sh" "${1:-2000}" "$B")
fi
AUTH=()
[ -n "${BRAIN_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $BRAIN_KEY")
curl -sf "${AUTH[@]}" "$B/brain/versions/$v/jobs?limit=1000" | python3 -c '
import json, sys
from datetime import datetime
d = json.load(sys.stdin)
t = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
jobs = [j for j in d["jobs"] if j["state"] == "DONE" and j["startedAt"] and j["finishedAt"]]
if not jobs:
    sys.exit("no finished jobs for version %s" % d["version"])
others = len(d["jobs"]) - len(jobs)
embedded = sum(j["embedded"] for j in jobs)
chunks = sum(j["chunks"] for j in jobs)
wall = max(t(j["finishedAt"]) for j in jobs) - min(t(j["startedAt"]) for j in jobs)
per_job = sorted(j["embedded"] / max(t(j["finishedAt"]) - t(j["startedAt"]), 1e-3) for j in jobs)
print("version %s: %d jobs done%s, %d chunks, %d embedded" % (d["version"], len(jobs),
      " (%d not done, left out)" % others if others else "", chunks, embedded))
print("wall clock %.1f s (first start to last finish): %.1f chunks/s" % (wall, embedded / wall))
print("per job (one worker): median %.1f chunks/s, min %.1f, max %.1f" % (
      per_job[len(per_job) // 2], per_job[0], per_job[-1]))
'
