-- wrk: POST the drop-in route with a valid body and a caller key
wrk.method = "POST"
wrk.path = "/api/skill/customer/update-customer"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("BENCH_KEY") or "bench-key"
wrk.body = '{"id":574,"first_name":"yunlong2","last_name":"li1","phone":"+1 565689891","accepts_marketing":1}'

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
