#!/usr/bin/env bash
# Cold benchmark: the way an autoscaled replica meets traffic. Each gateway is started with the image's launch
# (extracted jar, AOT cache from the image's training run, the image's JVM flags told a 512 MiB container limit) pinned
# on one core, and loaded by wrk (64 connections, fast nginx stub store) from its first answer on, in 5 s slices.
# Reports, per gateway: time to first answer, time until a slice reaches 90 % of the steady rate (the mean of the last
# three slices), steady CPU per request, p99 of the last slice, RSS at the end.
#   bench/cold.sh                                   # the current build, PATCH
#   COLD_JARS="late=/tmp/a.jar std=target/b.jar" COLD_ROUNDS=2 bench/cold.sh   # several jars, interleaved rounds
#   COLD_SCRIPT=post-drop-in.lua COLD_SECONDS=90 bench/cold.sh
#   COLD_STORE_DELAY=0.02 bench/cold.sh             # a store that takes 20 ms (nginx echo module)
# Needs: apt-get install -y wrk nginx-light libnginx-mod-http-echo. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA" ] || JAVA=java
GATEWAY_CPU=${BENCH_GATEWAY_CPU:-1}
LOAD_CPU=${BENCH_LOAD_CPU:-0}
TOTAL=${COLD_SECONDS:-120}
ROUNDS=${COLD_ROUNDS:-1}
SCRIPT=${COLD_SCRIPT:-patch.lua}
CONNS=${COLD_CONNECTIONS:-64}
LIMIT_MB=${COLD_LIMIT_MB:-512}
API=18080 MGMT=18090 STORE=18083 KEY=bench-key
WORK=$(mktemp -d)
export BENCH_DIR="$ROOT/bench" BENCH_KEY=$KEY
IMAGE_FLAGS=(-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError "-XX:MaxRAM=${LIMIT_MB}m" -XX:ActiveProcessorCount=1)

for tool in wrk nginx taskset curl; do
  command -v $tool >/dev/null || { echo "cold: $tool is missing (apt-get install -y wrk nginx-light libnginx-mod-http-echo)"; exit 1; }
done

GATEWAY_PID= NGINX_PID=
cleanup() {
  [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${COLD_JARS:-}" ]; then
  ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true package
  COLD_JARS="gateway=$(ls target/fecify-gateway-*.jar | grep -v original | head -1)"
fi

ENVELOPE='{"code":200,"data":{"id":574,"shop_id":15,"email":"liyunlong@pingan2.com","first_name":"yunlong2","last_name":"li1","note":"","phone":"+1 565689891","created_at":"2026-05-25 11:35:16","updated_at":"2026-05-25 11:37:57","accepts_marketing":1,"customervip_id":0},"message":"success"}'
STORE_LOCATION="location / { return 200 '$ENVELOPE'; }"
LOAD_ECHO=
if [ -n "${COLD_STORE_DELAY:-}" ]; then
  ECHO_MODULE=$(ls /usr/lib/nginx/modules/ngx_http_echo_module.so 2>/dev/null || true)
  [ -n "$ECHO_MODULE" ] || { echo "cold: COLD_STORE_DELAY needs libnginx-mod-http-echo"; exit 1; }
  LOAD_ECHO="load_module $ECHO_MODULE;"
  STORE_LOCATION="location / { echo_sleep $COLD_STORE_DELAY; echo '$ENVELOPE'; }"
fi
cat > "$WORK/nginx.conf" <<NGINX
$LOAD_ECHO
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/body;
  default_type application/json;
  server { listen 127.0.0.1:$STORE; $STORE_LOCATION }
}
NGINX
taskset -c "$LOAD_CPU" nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!

# each jar extracted as the image does, with the image's training run (Dockerfile)
for entry in $COLD_JARS; do
  label=${entry%%=*} jar=${entry#*=}
  mkdir -p "$WORK/$label"
  cp "$jar" "$WORK/$label/app.jar"   # the image's name: the extracted launcher jar is called after it
  "$JAVA" -Djarmode=tools -jar "$WORK/$label/app.jar" extract --destination "$WORK/$label/app" > /dev/null
  (cd "$WORK/$label/app" && FECIFY_BASE_URL=http://127.0.0.1:9 FECIFY_ACCESS_TOKEN=training GATEWAY_AUTH=none \
    "$JAVA" -XX:AOTCacheOutput=app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
    -Dspring.context.exit=onRefresh -jar app.jar > "$WORK/$label/training.log" 2>&1)
done

TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat"; }

# one cold run: prints "first_ms t90_s steady_rps cpu_us p99_ms rss_mb" and the slices on stderr
cold_run() { # label
  local app=$WORK/$1/app t0 first slices=() cpus=() p99=0 before after out rps req line
  t0=$(date +%s%N)
  (cd "$app" && FECIFY_BASE_URL="http://127.0.0.1:$STORE/apimanager666" FECIFY_ACCESS_TOKEN=bench-store-token \
    GATEWAY_API_KEYS="bench:$(printf %s $KEY | sha256sum | cut -c1-64)" GATEWAY_RATE_LIMIT_PER_SECOND=1000000 \
    FECIFY_MAX_CONCURRENT_REQUESTS=256 SERVER_PORT=$API MANAGEMENT_SERVER_PORT=$MGMT LOGGING_LEVEL_FECIFY_AUDIT=WARN \
    exec taskset -c "$GATEWAY_CPU" "$JAVA" "${IMAGE_FLAGS[@]}" -XX:AOTCache=app.aot ${BENCH_JVM_OPTS:-} -jar app.jar \
    > "$WORK/$1/run.log" 2>&1) &
  GATEWAY_PID=$!
  until curl -s -o /dev/null "http://127.0.0.1:$API/"; do
    kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "cold: $1 did not start" >&2; tail -20 "$WORK/$1/run.log" >&2; exit 1; }
    sleep 0.01
  done
  first=$(( ($(date +%s%N) - t0) / 1000000 ))
  local elapsed=0
  while [ "$elapsed" -lt "$TOTAL" ]; do
    before=$(cpu_ticks)
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d5s --timeout 5s -s "bench/$SCRIPT" "http://127.0.0.1:$API")
    after=$(cpu_ticks)
    line=$(echo "$out" | grep '^BENCH')
    req=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
    rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
    p99=$(echo "$line" | sed -E 's/.*p99=([0-9.]+).*/\1/')
    slices+=("$rps")
    cpus+=("$(( (after - before) * 1000000 / TICK / (req > 0 ? req : 1) ))")
    elapsed=$((elapsed + 5))
  done
  local rss
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status")
  kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; GATEWAY_PID=
  echo "  $1 slices req/s: ${slices[*]}" >&2
  echo "  $1 slices cpu_us: ${cpus[*]}" >&2
  local n=${#slices[@]}
  local steady=$(( (slices[n-1] + slices[n-2] + slices[n-3]) / 3 ))
  local cpu=$(( (cpus[n-1] + cpus[n-2] + cpus[n-3]) / 3 ))
  local t90=-1 i
  for ((i = 0; i < n; i++)); do
    if [ $(( slices[i] * 10 )) -ge $(( steady * 9 )) ]; then t90=$(( (i + 1) * 5 )); break; fi
  done
  echo "$first $t90 $steady $cpu $p99 $rss"
}

ROWS=()
for round in $(seq 1 "$ROUNDS"); do
  for entry in $COLD_JARS; do
    label=${entry%%=*}
    echo "== round $round: $label"
    ROWS+=("$label $(cold_run "$label")")
  done
done

echo
echo "cold benchmark: $(nproc) cores, gateway started pinned on CPU $GATEWAY_CPU (${IMAGE_FLAGS[*]} -XX:AOTCache),"
echo "wrk $CONNS connections + nginx stub (delay ${COLD_STORE_DELAY:-0} s) on CPU $LOAD_CPU, bench/$SCRIPT, ${TOTAL}s of load from the first answer"
printf '%-12s %9s %8s %10s %8s %8s %7s\n' run first_ms t90_s steady_rps cpu_us p99_ms rss_mb
for row in "${ROWS[@]}"; do
  read -r label first t90 steady cpu p99 rss <<< "$row"
  printf '%-12s %9s %8s %10s %8s %8s %7s\n' "$label" "$first" "$t90" "$steady" "$cpu" "$p99" "$rss"
done
