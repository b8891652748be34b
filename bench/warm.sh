#!/usr/bin/env bash
# Warm load benchmark of fecify-gateway against an nginx stub of the Fecify store. Every measured run has the gateway alone on
# CPU 1 (wrk and the stub on CPU 0); the JVM is told it has one CPU. Prints one table and cleans up after itself.
#   apt-get install -y wrk nginx libnginx-mod-http-echo    (once)
#   bench/run.sh warm                 # about 8 minutes (bench/warm.sh)
#   BENCH_SECONDS=5 bench/run.sh warm # shorter runs
#   BENCH_FLOOR=1 bench/run.sh warm   # the same load on bench/floor/FloorProxy.java instead: the thinnest proxy the
#                                     # gateway's stack (Spring MVC on Tomcat, WebClient) can be, on the same jars
# Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
FAST=18081
SLOW=18082   # STORE (what the gateway calls) serves the fast answer first, then the slow one (nginx reload), so one
             # warm JVM serves both
FLOOR=${BENCH_FLOOR:-}
require_tools

echo "== build"
./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true package
JAR=$(ls target/fecify-gateway-*.jar | grep -v original | head -1)

FAST_STORE=$(store_location)
SLOW_STORE=$(store_location 0.02)
nginx_config "server { listen 127.0.0.1:$FAST; $FAST_STORE }
  server { listen 127.0.0.1:$SLOW; $SLOW_STORE }
  server { listen 127.0.0.1:$STORE; include $WORK/store.conf; }" echo
echo "$FAST_STORE" > "$WORK/store.conf"
taskset -c "$LOAD_CPU" nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
sleep 0.5

# one wrk run; prints "req_per_s p50 p99 p999 requests non2xx"
load() { # url script connections
  local out
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$3" -d"${SECONDS_PER_RUN}s" --timeout 5s -s "bench/$2" "$1")
  local rps line
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  line=$(echo "$out" | grep '^BENCH')
  echo "$rps $(echo "$line" | sed -E 's/.*p50=([0-9.]+) p99=([0-9.]+) p999=([0-9.]+).*/\1 \2 \3/') \
$(echo "$line" | sed -E 's/.*requests=([0-9]+).*non2xx=([0-9]+).*/\1 \2/')"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat"; }
TICK=$(getconf CLK_TCK)

# launch CPUS [JVM options...]: the extracted app in $APP started as the benchmarks start it (bench/common.sh), with a
# fixed heap rather than the image's share of a limit; returns at its first answer
IMAGE_FLAGS=(-Xmx256m -XX:ActiveProcessorCount=1)
launch() {
  START_CPUS=$1 start_gateway "$APP" "$WORK/gateway.log" 256 "${*:2}"
}
stop_gateway() { kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; GATEWAY_PID=; }

# The JIT's compilers need minutes of load to settle when they share one core with the gateway, and throughput creeps
# up with plateaus on the way; so the gateway warms up on both cores (at least 60 s, in 10 s windows, until two in a
# row agree within 3 %, at most 2 minutes), then 10 s on each other measured path (PATCH, each rejection), and is then
# pinned alone on its core for every measured run.
warm_up() { # script
  local previous=1 rps window=0
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
    window=$((window + 1))
    rps=$(SECONDS_PER_RUN=10 load "http://127.0.0.1:$API" "$1" 64 | cut -d' ' -f1)
    rps=${rps%.*}
    echo "  warm-up: $rps req/s"
    if [ "$window" -ge 6 ] && [ $(( rps * 100 / previous )) -ge 97 ] && [ $(( rps * 100 / previous )) -le 103 ]; then
      break
    fi
    previous=$rps
  done
  # every other measured path gets its share of compiled code too, so no measured run pays for the JIT
  if [ -z "$FLOOR" ]; then
    SECONDS_PER_RUN=10 load "http://127.0.0.1:$API" patch.lua 64 > /dev/null
    for kind in invalid nokey large; do
      BENCH_REJECT=$kind SECONDS_PER_RUN=10 load "http://127.0.0.1:$API" rejected.lua 64 > /dev/null
    done
  fi
  taskset -a -p -c "$GATEWAY_CPU" "$GATEWAY_PID" > /dev/null
  SECONDS_PER_RUN=10 load "http://127.0.0.1:$API" "$1" 64 > /dev/null
}

ROWS=()
measure() { # label url script connections
  local before after result requests
  before=$(cpu_ticks)
  result=$(load "$2" "$3" "$4")
  after=$(cpu_ticks)
  requests=$(echo "$result" | cut -d' ' -f5)
  local cpu_us=$(( (after - before) * 1000000 / TICK / (requests > 0 ? requests : 1) ))
  ROWS+=("$1|$4|$result|$cpu_us")
  echo "  $1 c=$4: $result cpu_us=$cpu_us"
}
direct() { # label url script connections
  local result
  result=$(load "$2" "$3" "$4")
  ROWS+=("$1|$4|$result|-")
  echo "  $1 c=$4: $result"
}

echo "== start-up to first answer, one core (extracted jar, as in the image)"
# extracted and trained as the image does (bench/common.sh); with BENCH_FLOOR, FloorProxy in the gateway's place
LABEL=gateway
[ -n "$FLOOR" ] && LABEL=floor
image_launch "$LABEL" "$JAR"
APP=$WORK/$LABEL/app
launch "$GATEWAY_CPU" -XX:AOTMode=off
PLAIN_STARTUP=$FIRST_MS
stop_gateway
echo "  without the AOT cache: ${PLAIN_STARTUP} ms"
launch "$GATEWAY_CPU"
AOT_STARTUP=$FIRST_MS
stop_gateway
echo "  with the AOT cache (the image's setting): ${AOT_STARTUP} ms"

echo "== fast upstream"
launch "$GATEWAY_CPU,$LOAD_CPU"
warm_up post-drop-in.lua
for c in 16 64 256; do
  direct "direct-fast" "http://127.0.0.1:$FAST" direct.lua $c
  measure "drop-in-fast" "http://127.0.0.1:$API" post-drop-in.lua $c
  [ -n "$FLOOR" ] || measure "patch-fast" "http://127.0.0.1:$API" patch.lua $c
done
for kind in invalid nokey large; do
  [ -n "$FLOOR" ] || BENCH_REJECT=$kind measure "rejected-$kind" "http://127.0.0.1:$API" rejected.lua 64
done
RSS_FAST=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status")

echo "== slow upstream (20 ms), same gateway"
echo "$SLOW_STORE" > "$WORK/store.conf"
nginx -c "$WORK/nginx.conf" -p "$WORK" -s reload
sleep 1
SECONDS_PER_RUN=10 load "http://127.0.0.1:$API" post-drop-in.lua 64 > /dev/null
for c in 16 64 256; do
  direct "direct-slow" "http://127.0.0.1:$SLOW" direct.lua $c
  measure "drop-in-slow" "http://127.0.0.1:$API" post-drop-in.lua $c
  [ -n "$FLOOR" ] || measure "patch-slow" "http://127.0.0.1:$API" patch.lua $c
done
RSS_SLOW=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status")
stop_gateway

echo
echo "${FLOOR:+FLOOR (bench/floor/FloorProxy.java, not the gateway) }fecify-gateway benchmark: $(nproc) cores, gateway on CPU $GATEWAY_CPU, wrk + nginx stub on CPU $LOAD_CPU,"
echo "$("$JAVA" -version 2>&1 | head -1), -Xmx256m -XX:ActiveProcessorCount=1 -XX:AOTCache ${BENCH_JVM_OPTS:-},"
echo "FECIFY_MAX_CONCURRENT_REQUESTS=256, ${SECONDS_PER_RUN}s per run"
printf '%-18s %5s %10s %8s %8s %9s %8s %7s %8s\n' run conns req/s p50_ms p99_ms p99.9_ms requests non2xx cpu_us
for row in "${ROWS[@]}"; do
  IFS='|' read -r label conns result cpu <<< "$row"
  read -r rps p50 p99 p999 requests non2xx <<< "$result"
  printf '%-18s %5s %10s %8s %8s %9s %8s %7s %8s\n' "$label" "$conns" "$rps" "$p50" "$p99" "$p999" "$requests" "$non2xx" "$cpu"
done
echo
ratio() { # gateway-label direct-label conns
  local g d
  g=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v l="$1" -v c="$3" '$1==l && $2==c {split($3,a," "); print a[1]}')
  d=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v l="$2" -v c="$3" '$1==l && $2==c {split($3,a," "); print a[1]}')
  awk -v g="$g" -v d="$d" -v l="$1" -v c="$3" 'BEGIN {printf "  %s / direct at %s connections: %.2fx\n", l, c, g / d}'
}
echo "throughput against the stub called directly, same run:"
for c in 16 64 256; do
  ratio drop-in-fast direct-fast $c; ratio drop-in-slow direct-slow $c; [ -n "$FLOOR" ] || ratio patch-slow direct-slow $c
done
ratio_cpu() { # label
  local r a
  r=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' -v l="$1" '$1==l && $2==64 {print $4}')
  a=$(printf '%s\n' "${ROWS[@]}" | awk -F'|' '$1=="drop-in-fast" && $2==64 {print $4}')
  awk -v r="$r" -v a="$a" -v l="$1" 'BEGIN {printf "  %s: %.2fx the CPU of an accepted update\n", l, r / a}'
}
if [ -z "$FLOOR" ]; then
  echo "rejections against an accepted update (drop-in-fast, 64 connections):"
  for kind in invalid nokey large; do ratio_cpu "rejected-$kind"; done
fi
echo "start-up to first answer on one core: ${AOT_STARTUP} ms with the AOT cache, ${PLAIN_STARTUP} ms without"
echo "RSS after load: ${RSS_FAST} MiB (fast), ${RSS_SLOW} MiB (slow)"
