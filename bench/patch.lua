-- wrk: PATCH /v1/customers/574 with a valid body and a caller key
wrk.method = "PATCH"
wrk.path = "/v1/customers/574"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY") or "bench-key"
wrk.body = '{"first_name":"yunlong2","last_name":"li1","phone":"+1 565689891","accepts_marketing":1}'

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
