-- wrk script: cycles through a fixed list of queries against /brain/search.
local queries = {"document+settings+security", "rate+limits+minute", "password+reset+email",
  "ancient+river+valley", "quick+brown+fox", "energy+storage+battery", "network+latency+p95",
  "version+rollback+index"}
local i = 0
local key = os.getenv("BRAIN_KEY")
if key then wrk.headers["Authorization"] = "Bearer " .. key end
request = function()
  i = i + 1
  local path = "/brain/search?k=10&q=" .. queries[(i % #queries) + 1] .. "+" .. (i % 997)
  return wrk.format("GET", path, wrk.headers)
end
