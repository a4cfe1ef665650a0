#!/usr/bin/env python3
"""One sequential pass (one connection, no concurrency) over a query file per search mode;
prints the server's tookMs and the client round trip (p50/p95/p99/max).

Usage: bench/search-pass.py MODE[,MODE...] [BASE_URL] [QUERIES_TSV]
Env: BRAIN_KEY, K (default 10), SUFFIX (appended to every query, e.g. to miss the caches).

The first pass of a text in semantic or hybrid mode embeds it (the query-vector cache is per
text); later passes do not. With the result cache on, a repeated query is answered from it.
"""
import json, os, statistics, sys, time, urllib.parse, urllib.request

modes = sys.argv[1].split(",") if len(sys.argv) > 1 else ["hybrid"]
base = sys.argv[2] if len(sys.argv) > 2 else "http://localhost:8080"
path = sys.argv[3] if len(sys.argv) > 3 else "src/test/resources/datasets/cranfield/queries.tsv"
key = os.environ.get("BRAIN_KEY")
k = os.environ.get("K", "10")
suffix = os.environ.get("SUFFIX", "")
queries = [" ".join(line.split("\t", 1)[-1].split()) for line in open(path, encoding="utf-8")]
queries = [q for q in queries if q]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


for mode in modes:
    took, trip, answered, found = [], [], set(), []
    for q in queries:
        url = f"{base}/brain/search?" + urllib.parse.urlencode({"q": q + suffix, "k": k, "mode": mode})
        req = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
        started = time.perf_counter()
        with urllib.request.urlopen(req) as r:
            body = json.load(r)
        trip.append((time.perf_counter() - started) * 1000)
        took.append(body["tookMs"])
        answered.add(body.get("mode"))
        found.append(len(body.get("results", [])))
    print(f"{mode:8s} n={len(queries)} answered as {','.join(sorted(map(str, answered)))}: "
          f"tookMs p50 {pct(took, 50):.2f} p95 {pct(took, 95):.2f} p99 {pct(took, 99):.2f} max {max(took):.2f} "
          f"mean {statistics.mean(took):.2f} | round trip p50 {pct(trip, 50):.2f} p95 {pct(trip, 95):.2f} "
          f"p99 {pct(trip, 99):.2f} ms | results/query {statistics.mean(found):.1f}")
