-- wrk script for bench/scale.sh: one query per request from the file $QUERIES (one
-- url-encoded query a line), bearer key from $BRAIN_KEY, mode from $MODE (default hybrid).
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do queries[#queries + 1] = line end
local mode = os.getenv("MODE") or "hybrid"
local headers = {}
local key = os.getenv("BRAIN_KEY")
if key then headers["Authorization"] = "Bearer " .. key end
local i = 0
request = function()
  i = i + 1
  local q = queries[(i * 7919) % #queries + 1]
  return wrk.format("GET", "/brain/search?k=10&mode=" .. mode .. "&q=" .. q, headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status or 0,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
