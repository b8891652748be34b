-- Shared by the wrk scripts: one machine-readable summary line per run, with the count of each non-2xx status.
statuses = {}  -- a global: done() reads each thread's copy
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

response = function(status, headers, body)
  if status >= 300 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, n in pairs(s or {}) do counts[status] = (counts[status] or 0) + n end
  end
  local listed = {}
  for status, n in pairs(counts) do table.insert(listed, status .. ":" .. n) end
  io.write(string.format("BENCH requests=%d errors=%d non2xx=%d p50=%.3f p99=%.3f p999=%.3f statuses=%s\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    table.concat(listed, ",")))
end
