-- wrk: requests the gateway refuses itself. BENCH_REJECT = invalid (400), nokey (401) or large (413)
local kind = os.getenv("BENCH_REJECT") or "invalid"
wrk.method = "PATCH"
wrk.path = "/v1/customers/574"
wrk.headers["Content-Type"] = "application/json"
if kind ~= "nokey" then
  wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY") or "bench-key"
end
if kind == "large" then
  wrk.body = '{"note":"' .. string.rep("x", 70000) .. '"}'
elseif kind == "invalid" then
  wrk.body = '{"first_name":null,"accepts_marketing":"1","email":"x@example.com"}'
else
  wrk.body = '{"first_name":"yunlong2"}'
end

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
