-- Shared by the wrk scripts: one machine-readable summary line per run.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d errors=%d non2xx=%d p50=%.3f p99=%.3f p999=%.3f\n",
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
