#!/usr/bin/env python3
"""Reads `jfr print --events jdk.ExecutionSample --stack-depth 200` on stdin; for the samples of
THREAD (default: Tomcat's http-nio request threads of the service port) prints the hottest self
frames and where they went: each sample is charged to the first (innermost) matching layer."""
import os
import re
import sys
from collections import Counter

THREAD = os.environ.get("THREAD", "http-nio-18982")
# only the samples of the last LAST seconds of the recording (the measured run), when set
LAST = float(os.environ.get("LAST", "0"))
# innermost first: a sample counts for the first layer one of its frames matches
LAYERS = [
    ("query analysis", r"QueryFactory\.terms|Analyzer"),
    ("Lucene: stored fields of the hits", r"VersionIndex\.hits|StoredFields"),
    ("Lucene: HNSW vector search (hybrid, semantic)", r"AbstractKnnVectorQuery|HnswGraphSearcher|KnnFloatVectorQuery"),
    ("Lucene: query (rank)", r"IndexSearcher\.search|VersionIndex\.rank"),
    ("verdict statistics (maxTextScore)", r"VersionIndex\.maxTextScore"),
    ("ids (UUID)", r"UUID\.randomUUID|Ids\.randomUuid"),
    ("recording (event, hit record, counters)", r"publishEvent|HitRecorder|VerdictCounters"),
    ("latency timer", r"io\.micrometer\.core\.instrument\.(AbstractTimer|Timer)\.record"),
    ("fusion (hybrid)", r"SearchService\.(hybrid|collect|fillIn)"),
    ("rest of SearchService.search", r"io\.brainplane\.search\.SearchService\.search"),
    ("Jackson: writing the response", r"com\.fasterxml\.jackson|MessageConverter"),
    ("MVC: arguments, handler lookup, return value", r"DispatcherServlet\.doDispatch|FrameworkServlet"),
    ("Spring Security filters", r"org\.springframework\.security"),
    ("observation / metrics filter", r"ServerHttpObservationFilter|io\.micrometer"),
    ("other filters (request id, audit, sizes, limits)", r"ApplicationFilterChain\.internalDoFilter"),
    ("Tomcat: HTTP parsing, sockets, dispatch", r"org\.apache\.(coyote|tomcat|catalina)"),
]


def main():
    samples = []
    frames = None
    thread = ""
    threads = Counter()
    raw = []
    at = 0.0
    for line in sys.stdin:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            frames = []
            thread = ""
        elif s.startswith("startTime") and frames is not None:
            m = re.search(r"(\d+):(\d+):(\d+(?:\.\d+)?)", s)
            at = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else 0.0
        elif s.startswith("sampledThread"):
            thread = s
        elif s == "}" and frames is not None:
            raw.append((at, thread, frames))
            frames = None
        elif frames is not None and "line:" in s:
            frames.append(re.sub(r"\s+line:.*", "", s))
    end = max((r[0] for r in raw), default=0.0)
    for at, thread, frames in raw:
        if LAST and at < end - LAST:
            continue
        if THREAD in thread:
            samples.append(frames)
        name = re.search(r'"([^"]*)"', thread)
        threads[re.sub(r"[0-9]+", "N", name.group(1)) if name else "?"] += 1
    total = sum(threads.values())
    if total:
        print(f"{total} samples of all Java threads, by thread (digits as N):")
        for t, c in threads.most_common(12):
            print(f"  {100.0 * c / total:5.1f}%  {t}")
    n = len(samples)
    if n == 0:
        print("no samples of " + THREAD)
        return
    print(f"{n} samples of {THREAD} threads")
    print("hottest self frames:")
    for f, c in Counter(s[0] for s in samples if s).most_common(15):
        print(f"  {100.0 * c / n:5.1f}%  {f}")
    print("where the request threads' time went (each sample charged to its innermost layer):")
    charged = Counter()
    compiled = [(name, re.compile(p)) for name, p in LAYERS]
    for s in samples:
        for name, rx in compiled:
            if any(rx.search(f) for f in s):
                charged[name] += 1
                break
        else:
            charged["other (JVM, GC barriers, thread hand-off)"] += 1
    for name, _ in LAYERS + [("other (JVM, GC barriers, thread hand-off)", None)]:
        print(f"  {100.0 * charged[name] / n:5.1f}%  {name}")


main()
