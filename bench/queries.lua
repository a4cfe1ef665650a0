-- wrk script: cycles through the queries of a TSV file (id<TAB>text per line, such as the
-- Cranfield queries) against /brain/search.
-- Env: QUERIES (default src/test/resources/datasets/cranfield/queries.tsv, read at start, never
--      copied), MODE (lexical|semantic|hybrid; unset: the server's default), K (default 10),
--      UNIQUE=1 appends a number unique to each request, so every request misses both the
--      result cache and the query-vector cache (each semantic/hybrid request runs the model),
--      BRAIN_KEY (bearer key).
-- Example: MODE=hybrid wrk -t2 -c8 -d30s --latency -s bench/queries.lua http://localhost:8080
local file = os.getenv("QUERIES") or "src/test/resources/datasets/cranfield/queries.tsv"
local mode = os.getenv("MODE")
local k = os.getenv("K") or "10"
local unique = os.getenv("UNIQUE") == "1"
local key = os.getenv("BRAIN_KEY")

local function encode(s)
  return (s:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", string.byte(c)) end):gsub(" ", "+"))
end

local queries = {}
for line in io.lines(file) do
  local text = line:match("^[^\t]*\t(.*)$") or line
  text = text:gsub("%s+", " "):gsub("^ ", ""):gsub(" $", "")
  if text ~= "" then queries[#queries + 1] = encode(text) end
end
if #queries == 0 then error("no queries in " .. file) end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local i = 0
local prefix = "/brain/search?k=" .. k .. (mode and ("&mode=" .. mode) or "") .. "&q="
if key then wrk.headers["Authorization"] = "Bearer " .. key end

function request()
  -- each thread starts at a different place in the list
  local n = i + (tonumber(tid) or 1) * 97
  i = i + 1
  local q = queries[(n % #queries) + 1]
  if unique then q = q .. "+" .. tostring(tid) .. "x" .. tostring(i) end
  return wrk.format("GET", prefix .. q, wrk.headers)
end


-- wrk's --latency prints no p95; this prints the percentiles the docs report.
function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("requests/s %.0f  p50 %.2f ms  p90 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
end
