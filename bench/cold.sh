#!/usr/bin/env bash
# Cold benchmark (bench/run.sh's default mode): the way an autoscaled replica meets traffic. Each gateway is started
# with the image's launch (extracted jar, AOT cache from the image's training run, the image's JVM flags told the
# deployment's container limit) pinned on one core, and loaded by wrk (64 connections, fast nginx stub store) from its
# first answer on, in 5 s slices.
# Load goes on until the throughput stops rising: the mean of the last six slices (30 s) no more than 3 % above the
# mean of the six before, after at least COLD_MIN_SECONDS (60), at most COLD_MAX_SECONDS (600); COLD_SECONDS fixes the
# length. Reports, per run: time to first answer, time until a slice reaches 90 % of the steady rate (the mean of the
# last six slices), when it settled, steady CPU per request (same slices), p99 of the last slice, RSS at the end.
# Side by side in the same rounds, started and loaded the same way: the floor of the gateway's own stack (label floor:
# bench/floor/FloorProxy.java, Spring MVC on Tomcat passing the drop-in call through WebClient and nothing else, on the
# gateway's jars), Spring Cloud Gateway server-webflux routing the drop-in path (../shared/anchors/scg-webflux, built
# into target/bench/), and the stub called directly. The table then gives each run's ratios to the anchor, and the
# anchor's plain `java -jar` start (no AOT cache, no flags).
#   bench/cold.sh                                   # the current build: PATCH, drop-in, floor, SCG, direct
#   COLD_RUNS="gateway:patch.lua scg:post-drop-in.lua" COLD_ROUNDS=2 bench/cold.sh
#   COLD_JARS="late=/tmp/a.jar std=target/b.jar" COLD_RUNS="late:patch.lua std:patch.lua" bench/cold.sh
#   COLD_STORE_DELAY=0.02 COLD_CONNECTIONS=256 bench/cold.sh   # a store that takes 20 ms (nginx echo module)
#   COLD_JARS="a=x.jar t8=x.jar" COLD_ENV_t8="SERVER_TOMCAT_THREADS_MAX=8" ...  # settings for one label only
#   COLD_JARS="a=x.jar c1=x.jar" COLD_OPTS_c1="-XX:TieredStopAtLevel=1" ...     # JVM options for one label only
#   BENCH_TRAIN_LABELS="t" ...                     # label t's AOT cache trained with requests (bench/common.sh)
#   BENCH_PROFILE_LABELS="p" ...                   # label p's AOT cache keeps its start-up's method profiles
# The in-flight limit is twice the connections: at each 5 s slice wrk closes its connections and opens new ones, and a
# cold gateway still works on the requests of the closed ones (they still call the store), so a limit equal to the
# connections answered a few thousand 503s per slice in the first half minute (the BENCH line counts statuses).
# Needs: apt-get install -y wrk nginx libnginx-mod-http-echo. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
FIXED=${COLD_SECONDS:-}
MAX_SECONDS=${COLD_MAX_SECONDS:-600}
MIN_SECONDS=${COLD_MIN_SECONDS:-60}
ROUNDS=${COLD_ROUNDS:-1}
RUNS=${COLD_RUNS:-gateway:patch.lua gateway:post-drop-in.lua floor:post-drop-in.lua scg:post-drop-in.lua direct:direct.lua}
CONNS=${COLD_CONNECTIONS:-64}
# how long wrk waits for one answer before it counts a socket error (CI's smoke run, cold on a shared machine, waits longer)
WRK_TIMEOUT=${COLD_WRK_TIMEOUT:-5s}
LIMIT_MB=${COLD_LIMIT_MB:-$DEPLOYED_LIMIT_MB}
read -r -a IMAGE_FLAGS <<< "$(image_flags "$LIMIT_MB")"

require_tools

if [ -z "${COLD_JARS:-}" ]; then
  ./mvnw -B -q -ntp -DskipTests -Dspotless.check.skip=true package
  COLD_JARS="gateway=$(ls target/fecify-gateway-*.jar | grep -v original | head -1)"
fi
# the floor of the stack (bench/floor/FloorProxy.java) on the first jar's libraries, launched as the image launches it
if [[ " $RUNS " == *" floor:"* ]]; then
  first_jar=${COLD_JARS%% *}
  COLD_JARS="$COLD_JARS floor=${first_jar#*=}"
fi
# the anchor, built once from shared/ (copied: shared/ may be read-only) with this repo's Maven wrapper
ANCHOR_SRC=${COLD_ANCHOR_SRC:-$ROOT/../shared/anchors/scg-webflux}
ANCHOR_JAR=$ROOT/target/bench/scg-webflux.jar
if [[ " $RUNS " == *" scg:"* ]]; then
  if [ ! -f "$ANCHOR_JAR" ]; then
    [ -f "$ANCHOR_SRC/pom.xml" ] || { echo "cold: no anchor at $ANCHOR_SRC"; exit 1; }
    mkdir -p "$ROOT/target/bench"
    cp -r "$ANCHOR_SRC" "$WORK/scg-src"
    ./mvnw -B -q -ntp -f "$WORK/scg-src/pom.xml" -DskipTests package
    cp "$WORK/scg-src/target/scg-webflux.jar" "$ANCHOR_JAR"
  fi
  COLD_JARS="$COLD_JARS scg=$ANCHOR_JAR"
fi

start_store "$LOAD_CPU" "$STORE" "${COLD_STORE_DELAY:-}"

# each jar extracted as the image does, with the image's training run (Dockerfile)
for entry in $COLD_JARS; do
  image_launch "${entry%%=*}" "${entry#*=}"
done

TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$GATEWAY_PID/stat"; }

# one cold run: prints "first_ms t90_s steady_rps cpu_us p99_ms rss_mb" and the slices on stderr
cold_run() { # label script
  local label=$1 script=$2 app=$WORK/$1/app first=- slices=() cpus=() p99=0 before=0 after=0 out rps req line i
  local target="http://127.0.0.1:$API"
  if [ "$label" = direct ]; then
    target="http://127.0.0.1:$STORE"
  else
    local var="COLD_ENV_$label" opts="COLD_OPTS_$label"
    EXTRA_ENV=()
    [ -n "${!var:-}" ] && read -r -a EXTRA_ENV <<< "${!var}"
    start_gateway "$app" "$WORK/$label/run.log" $(( CONNS * 2 > 256 ? CONNS * 2 : 256 )) "${!opts:-}"
    first=$FIRST_MS
  fi
  local elapsed=0
  while ! settled "$elapsed" "${slices[@]}"; do
    [ -n "$GATEWAY_PID" ] && before=$(cpu_ticks)
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d5s --timeout "$WRK_TIMEOUT" -s "bench/$script" "$target")
    [ -n "$GATEWAY_PID" ] && after=$(cpu_ticks)
    line=$(echo "$out" | grep '^BENCH')
    req=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
    rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
    p99=$(echo "$line" | sed -E 's/.*p99=([0-9.]+).*/\1/')
    if ! echo "$line" | grep -q 'errors=0 non2xx=0 '; then # a socket error, a timeout or a non-2xx answer
      echo "  $label: $(echo "$line" | sed -E 's/.*(errors=[0-9]+ non2xx=[0-9]+).* statuses=(.*)/\1 statuses \2/')" >&2
    fi
    slices+=("$rps")
    cpus+=("$(( (after - before) * 1000000 / TICK / (req > 0 ? req : 1) ))")
    elapsed=$((elapsed + 5))
  done
  local rss=-
  if [ -n "$GATEWAY_PID" ]; then
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status")
    kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; GATEWAY_PID=
  fi
  echo "  $label $script slices req/s: ${slices[*]}" >&2
  [ "$label" = direct ] || echo "  $label $script slices cpu_us: ${cpus[*]}" >&2
  local n=${#slices[@]} k=$(( ${#slices[@]} < 6 ? ${#slices[@]} : 6 )) steady=0 cpu=0
  for ((i = n - k; i < n; i++)); do steady=$((steady + slices[i])) cpu=$((cpu + cpus[i])); done
  steady=$((steady / k)) cpu=$((cpu / k))
  [ "$label" = direct ] && cpu=-
  local t90=-1
  for ((i = 0; i < n; i++)); do
    if [ $(( slices[i] * 10 )) -ge $(( steady * 9 )) ]; then t90=$(( (i + 1) * 5 )); break; fi
  done
  echo "$first $t90 $elapsed $steady $cpu $p99 $rss"
}

# whether a run is over after $1 seconds with the slices' rates $2...: COLD_SECONDS reached, or (at least
# COLD_MIN_SECONDS, 60, in) the last six slices' mean no more than 3 % above the six before, or COLD_MAX_SECONDS
# reached.
# On a slow day a gateway can sit on a plateau for a minute mid-warm-up (the C2 queue still full) and pass for settled:
# a larger COLD_MIN_SECONDS (150) keeps such runs going
settled() { # elapsed slice...
  local elapsed=$1 n=$(( $# - 1 )) last=0 before=0 i
  shift
  [ -n "$FIXED" ] && { [ "$elapsed" -ge "$FIXED" ]; return; }
  [ "$elapsed" -ge "$MAX_SECONDS" ] && return 0
  [ "$elapsed" -lt "$MIN_SECONDS" ] && return 1
  local s=("$@")
  for ((i = n - 6; i < n; i++)); do last=$((last + s[i])); done
  for ((i = n - 12; i < n - 6; i++)); do before=$((before + s[i])); done
  [ $(( last * 100 )) -le $(( before * 103 )) ]
}

# the anchor's plain start, as its users run it: java -jar, no AOT cache, no flags; milliseconds to a first answer
plain_start() {
  local t0 ms
  t0=$(date +%s%N)
  BENCH_UPSTREAM_URI="http://127.0.0.1:$STORE" FECIFY_ACCESS_TOKEN=bench-store-token SERVER_PORT=$API \
    taskset -c "$GATEWAY_CPU" "$JAVA" -jar "$ANCHOR_JAR" > "$WORK/scg-plain.log" 2>&1 &
  GATEWAY_PID=$!
  until curl -s -o /dev/null "http://127.0.0.1:$API/"; do sleep 0.01; done
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  kill "$GATEWAY_PID"; wait "$GATEWAY_PID" 2>/dev/null || true; GATEWAY_PID=
  echo "$ms"
}

ROWS=()
for round in $(seq 1 "$ROUNDS"); do
  plain=-
  if [[ " $RUNS " == *" scg:"* ]]; then
    plain=$(plain_start)
    echo "== round $round: scg plain java -jar: first answer after $plain ms"
  fi
  for run in $RUNS; do
    label=${run%%:*} script=${run#*:}
    echo "== round $round: $label $script"
    ROWS+=("$round $label $script $plain $(cold_run "$label" "$script")")
  done
done

ratio() { # a b: a/b with two decimals, or - when either is not a number
  [[ "$1" =~ ^[0-9.]+$ && "$2" =~ ^[0-9.]+$ ]] && awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }' || echo -
}

echo
echo "cold benchmark: $(nproc) cores, each JVM started pinned on CPU $GATEWAY_CPU (${IMAGE_FLAGS[*]} -XX:AOTCache),"
echo "wrk $CONNS connections + nginx stub (delay ${COLD_STORE_DELAY:-0} s) on CPU $LOAD_CPU, load from the first answer until \
$([ -n "$FIXED" ] && echo "$FIXED s" || echo "settled (at most $MAX_SECONDS s)")"
printf '%-5s %-8s %-17s %8s %6s %7s %8s %7s %7s %6s | %9s %8s %8s %9s\n' round run script first_ms t90_s end_s steady_rps \
  cpu_us p99_ms rss_mb cpu/scg p99/scg 1st/plain rps/direct
for row in "${ROWS[@]}"; do
  read -r round label script plain first t90 end steady cpu p99 rss <<< "$row"
  scg_cpu=- scg_p99=- direct_rps=-
  for other in "${ROWS[@]}"; do
    read -r oround olabel _ _ _ _ _ osteady ocpu op99 _ <<< "$other"
    [ "$oround" = "$round" ] || continue
    [ "$olabel" = scg ] && scg_cpu=$ocpu scg_p99=$op99
    [ "$olabel" = direct ] && direct_rps=$osteady
  done
  printf '%-5s %-8s %-17s %8s %6s %7s %8s %7s %7s %6s | %9s %8s %8s %9s\n' "$round" "$label" "$script" "$first" "$t90" \
    "$end" "$steady" "$cpu" "$p99" "$rss" "$(ratio "$cpu" "$scg_cpu")" "$(ratio "$p99" "$scg_p99")" "$(ratio "$first" "$plain")" \
    "$(ratio "$steady" "$direct_rps")"
done
