#!/usr/bin/env bash
# Memory soak: does a replica fit its own deployment? The gateway is started as the image starts it (extracted jar,
# AOT cache, the image's JVM flags told the container's memory limit), pinned on one core; wrk sends 256 connections
# against a store that takes 20 ms, then 64 against a fast one; RSS is read every 5 s.
# It passes when the peak RSS stays within 85 % of the limit and RSS does not grow over the last 5 minutes (their
# highest reading at most 2 % above the highest reading before them).
#   bench/soak.sh                              # 600 s slow + 300 s fast, the limit deploy/k8s/deployment.yaml sets
#   SOAK_LIMIT_MB=768 SOAK_SLOW_SECONDS=120 SOAK_FAST_SECONDS=60 bench/soak.sh
#   SOAK_JAR=/tmp/other.jar BENCH_JVM_OPTS="-Xss512k" bench/soak.sh
# Needs: apt-get install -y wrk nginx libnginx-mod-http-echo. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
SLOW=${SOAK_SLOW_SECONDS:-600}
FAST=${SOAK_FAST_SECONDS:-300}
LIMIT_MB=${SOAK_LIMIT_MB:-$DEPLOYED_LIMIT_MB}
require_tools
read -r -a IMAGE_FLAGS <<< "$(image_flags "$LIMIT_MB")"

JAR=${SOAK_JAR:-}
if [ -z "$JAR" ]; then
  ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true package
  JAR=$(ls target/fecify-gateway-*.jar | grep -v original | head -1)
fi
image_launch gateway "$JAR"
start_store "$LOAD_CPU" "$STORE" 0.02

t0=$(date +%s)
start_gateway "$WORK/gateway/app" "$WORK/gateway/run.log" 256

# RSS every 5 s: "seconds rss_mib threads"
(while kill -0 "$GATEWAY_PID" 2>/dev/null; do
  awk -v t=$(( $(date +%s) - t0 )) '/VmRSS/ {r = int($2 / 1024)} /Threads/ {n = $2} END {print t, r, n}' \
    "/proc/$GATEWAY_PID/status" 2>/dev/null || true
  sleep 5
done) > "$WORK/rss.txt" &
SAMPLER_PID=$!

phase() { # label connections seconds
  local left=$3 chunk out
  while [ "$left" -gt 0 ]; do
    chunk=$(( left < 60 ? left : 60 ))
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"${chunk}s" --timeout 5s -s bench/patch.lua "http://127.0.0.1:$API")
    printf '%-5s %4s conns %4ss: %8s req/s  %s  rss %s MiB\n' "$1" "$2" "$chunk" \
      "$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')" \
      "$(echo "$out" | grep '^BENCH' | sed -E 's/BENCH requests=[0-9]+ //')" "$(tail -1 "$WORK/rss.txt" | cut -d' ' -f2)"
    left=$(( left - chunk ))
  done
}

echo "soak: limit ${LIMIT_MB} MiB, flags ${IMAGE_FLAGS[*]} ${BENCH_JVM_OPTS:-}, gateway on CPU $GATEWAY_CPU"
phase slow 256 "$SLOW"
store_config "$STORE"      # the fast store from here on
kill -HUP "$NGINX_PID"
sleep 1
phase fast 64 "$FAST"
kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=

end=$(( $(date +%s) - t0 ))
window=$(( end / 2 < 300 ? end / 2 : 300 ))   # the last 5 minutes, or the last half of a shorter run
awk -v limit="$LIMIT_MB" -v end="$end" -v window="$window" '
  { peak = $2 > peak ? $2 : peak; threads = $3 > threads ? $3 : threads
    if ($1 <= end - window) before = $2 > before ? $2 : before; else last = $2 > last ? $2 : last }
  END {
    ok_peak = peak <= 0.85 * limit; ok_growth = last <= before * 1.02
    printf "peak RSS %d MiB = %.0f %% of the %d MiB limit (at most 85 %%): %s\n", peak, 100 * peak / limit, limit, ok_peak ? "ok" : "FAIL"
    printf "last %d s: highest %d MiB against %d MiB before them (at most +2 %%): %s\n", window, last, before, ok_growth ? "ok" : "FAIL"
    printf "most threads: %d\n", threads
    exit !(ok_peak && ok_growth)
  }' "$WORK/rss.txt"
