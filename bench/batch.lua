-- wrk: POST /v1/customers/batch with 100 valid items and a caller key (BENCH_DRY_RUN=true for dry runs)
local items = {}
for id = 1, 100 do
  items[#items + 1] = string.format('{"id":%d,"first_name":"yunlong2","accepts_marketing":1}', id)
end
wrk.method = "POST"
wrk.path = "/v1/customers/batch" .. ((os.getenv("BENCH_DRY_RUN") == "true") and "?dry_run=true" or "")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY") or "bench-key"
wrk.body = '{"updates":[' .. table.concat(items, ",") .. ']}'

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
