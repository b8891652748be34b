-- wrk: the store stub directly, as a caller holding the token would call it (the baseline)
wrk.method = "POST"
wrk.path = "/apimanager666/api/skill/customer/update-customer"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["skill-access-token"] = "bench-store-token"
wrk.body = '{"id":574,"first_name":"yunlong2","last_name":"li1","phone":"+1 565689891","accepts_marketing":1}'

dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
