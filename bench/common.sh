# Shared by bench/cold.sh, bench/soak.sh and bench/warm.sh (sourced from the repo's root, not run): the machine's
# layout, the stub store, the clean-up on exit, the image's launch of a jar, the gateway's start.

ROOT=$PWD
JAVA=${BENCH_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA" ] || JAVA=java
GATEWAY_CPU=${BENCH_GATEWAY_CPU:-1}
LOAD_CPU=${BENCH_LOAD_CPU:-0}
API=18080 MGMT=18090 STORE=18083 KEY=bench-key
# the memory limit the deployment sets: what a replica is told, unless a script's setting says otherwise
DEPLOYED_LIMIT_MB=$(awk '/limits:/ {l=1} l && /memory:/ {sub(/Mi/, "", $2); print $2; exit}' deploy/k8s/deployment.yaml)
WORK=$(mktemp -d)
export BENCH_DIR="$ROOT/bench" BENCH_KEY=$KEY

# whatever a script started (the gateway, the stub, soak's sampler) is stopped and the scratch directory removed on exit
GATEWAY_PID= NGINX_PID= SAMPLER_PID=
cleanup() {
  local pid
  for pid in "$SAMPLER_PID" "$GATEWAY_PID" "$NGINX_PID"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ENVELOPE='{"code":200,"data":{"id":574,"shop_id":15,"email":"liyunlong@pingan2.com","first_name":"yunlong2","last_name":"li1","note":"","phone":"+1 565689891","created_at":"2026-05-25 11:35:16","updated_at":"2026-05-25 11:37:57","accepts_marketing":1,"customervip_id":0},"message":"success"}'

# The image's JVM flags (its heap share read from the Dockerfile), told a container limit of $1 MiB and one core.
IMAGE_HEAP_PERCENTAGE=$(grep -o 'MaxRAMPercentage=[0-9]*' Dockerfile | head -1 | cut -d= -f2)
image_flags() { # limit_mb
  echo "-XX:MaxRAMPercentage=${BENCH_MAX_RAM_PERCENTAGE:-$IMAGE_HEAP_PERCENTAGE} -XX:+ExitOnOutOfMemoryError -XX:MaxRAM=$1m -XX:ActiveProcessorCount=1"
}

# What the stub store answers: the envelope at once, or after $1 seconds when $1 is set (the echo module).
store_location() { # [delay]
  if [ -n "${1:-}" ]; then
    echo "location / { echo_sleep $1; echo '$ENVELOPE'; }"
  else
    echo "location / { return 200 '$ENVELOPE'; }"
  fi
}

# Writes $WORK/nginx.conf: the stub's settings around the server blocks $1, with the echo module when $2 is set.
nginx_config() { # servers [echo]
  local load_echo=
  if [ -n "${2:-}" ]; then
    local module
    module=$(ls /usr/lib/nginx/modules/ngx_http_echo_module.so 2>/dev/null || true)
    [ -n "$module" ] || { echo "bench: a store delay needs libnginx-mod-http-echo" >&2; exit 1; }
    load_echo="load_module $module;"
  fi
  cat > "$WORK/nginx.conf" <<NGINX
$load_echo
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path $WORK/body;
  default_type application/json;
  $1
}
NGINX
}

# nginx playing the store on port $1, answering after $2 seconds when $2 is set: start_store starts it (sets
# NGINX_PID), and a second call with another delay then reloads it.
store_config() { # port [delay]
  nginx_config "server { listen 127.0.0.1:$1; $(store_location "${2:-}") }" "${2:-}"
}

start_store() { # cpu port [delay]
  store_config "$2" "${3:-}"
  taskset -c "$1" nginx -c "$WORK/nginx.conf" -p "$WORK" &
  NGINX_PID=$!
}

# The jar extracted as the image extracts it, with the image's training run (Dockerfile) into $WORK/$1/app.
# For the labels in BENCH_TRAIN_LABELS the training run instead starts the gateway in demo mode (its store in the same
# process), sends it BENCH_TRAIN_SECONDS (30) of updates (PATCH, then drop-in), and stops it; the cache then keeps the
# method profiles of real requests (-XX:+AOTRecordTraining, the default) rather than none. For the labels in
# BENCH_PROFILE_LABELS the image's training run keeps the method profiles of its start-up.
image_launch() { # label jar
  local label=$1 jar=$2
  mkdir -p "$WORK/$label"
  cp "$jar" "$WORK/$label/app.jar" # the image's name: the extracted launcher jar is called after it
  "$JAVA" -Djarmode=tools -jar "$WORK/$label/app.jar" extract --destination "$WORK/$label/app" > /dev/null
  [ "$label" = floor ] && floor_app "$WORK/$label/app"
  if [[ " ${BENCH_TRAIN_LABELS:-} " == *" $label "* ]]; then
    train_with_requests "$label" "${BENCH_TRAIN_SECONDS:-30}"
    return
  fi
  local profiles=-XX:-AOTRecordTraining
  [[ " ${BENCH_PROFILE_LABELS:-} " == *" $label "* ]] && profiles=-XX:+AOTRecordTraining
  (cd "$WORK/$label/app" && FECIFY_BASE_URL=http://127.0.0.1:9 FECIFY_ACCESS_TOKEN=training GATEWAY_AUTH=none \
    BENCH_UPSTREAM_URI=http://127.0.0.1:9 \
    "$JAVA" -XX:AOTCacheOutput=app.aot -XX:+UnlockDiagnosticVMOptions $profiles \
    -Dspring.context.exit=onRefresh -jar app.jar > "$WORK/$label/training.log" 2>&1)
}

# The floor of the stack (bench/floor/FloorProxy.java) in place of the gateway's classes in an extracted app: compiled
# against the gateway's own libraries, in a launcher jar with the same class path, so it starts the way the image starts
# the gateway (its training run and AOT cache included).
floor_app() { # app_dir
  local app=$1 jdk=${JAVA%/java}
  "$jdk/javac" --release 17 -proc:none -cp "$app/lib/*" -d "$app/floor-classes" "$ROOT/bench/floor/FloorProxy.java"
  (cd "$app" && "$jdk/jar" xf app.jar META-INF/MANIFEST.MF)
  tr -d '\r' < "$app/META-INF/MANIFEST.MF" | awk '/^Class-Path:/ {c=1; print; next} c && /^ / {print; next} {c=0}' \
    > "$app/floor-manifest"
  printf 'Main-Class: FloorProxy\n' >> "$app/floor-manifest"
  rm "$app/app.jar"
  "$jdk/jar" cfm "$app/app.jar" "$app/floor-manifest" -C "$app/floor-classes" .
}

train_with_requests() { # label seconds
  local app=$WORK/$1/app pid port=18180
  (cd "$app" && SPRING_PROFILES_ACTIVE=demo SERVER_PORT=$port MANAGEMENT_SERVER_PORT=18190 \
    GATEWAY_RATE_LIMIT_PER_SECOND=1000000 LOGGING_LEVEL_FECIFY_AUDIT=WARN \
    exec "$JAVA" -XX:AOTCacheOutput=app.aot -jar app.jar > "$WORK/$1/training.log" 2>&1) &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done
  BENCH_KEY=demo-key wrk -t1 -c16 -d"$(( $2 / 2 ))s" -s bench/patch.lua "http://127.0.0.1:$port" > /dev/null
  BENCH_KEY=demo-key wrk -t1 -c16 -d"$(( $2 / 2 ))s" -s bench/post-drop-in.lua "http://127.0.0.1:$port" > /dev/null
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  [ -f "$app/app.aot" ] || { echo "bench: the training run left no AOT cache" >&2; tail -5 "$WORK/$1/training.log" >&2; exit 1; }
}

# Starts the extracted app in $1 as the benchmarks run it: against the stub store, the image's flags (IMAGE_FLAGS) and
# AOT cache, pinned on GATEWAY_CPU (or the CPU list START_CPUS), with the in-flight limit $3, the environment in the
# array EXTRA_ENV last (it wins) and the JVM options $4 after BENCH_JVM_OPTS (-XX:AOTMode=off starts it without the
# cache). Writes its output to $2, sets GATEWAY_PID, and returns at its first answer with FIRST_MS, the milliseconds
# from the launch to it.
# One caller is the whole load here, so its share of the in-flight limit is all of it.
start_gateway() { # app_dir log in_flight_limit [jvm_opts]
  local t0
  t0=$(date +%s%N)
  (cd "$1" && FECIFY_BASE_URL="http://127.0.0.1:$STORE/apimanager666" FECIFY_ACCESS_TOKEN=bench-store-token \
    GATEWAY_API_KEYS="bench:$(printf %s "$KEY" | sha256sum | cut -c1-64)" GATEWAY_RATE_LIMIT_PER_SECOND=1000000 \
    FECIFY_MAX_CONCURRENT_REQUESTS=$3 FECIFY_MAX_CONCURRENT_REQUESTS_PER_CALLER=$3 \
    SERVER_PORT=$API MANAGEMENT_SERVER_PORT=$MGMT LOGGING_LEVEL_FECIFY_AUDIT=WARN \
    BENCH_UPSTREAM_URI="http://127.0.0.1:$STORE" BENCH_UPSTREAM_PREFIX=/apimanager666 \
    exec env ${EXTRA_ENV[@]+"${EXTRA_ENV[@]}"} taskset -c "${START_CPUS:-$GATEWAY_CPU}" "$JAVA" "${IMAGE_FLAGS[@]}" \
    -XX:AOTCache=app.aot ${BENCH_JVM_OPTS:-} ${4:-} -jar app.jar > "$2" 2>&1) &
  GATEWAY_PID=$!
  until curl -s -o /dev/null "http://127.0.0.1:$API/"; do
    kill -0 "$GATEWAY_PID" 2>/dev/null || { echo "bench: $1 did not start:" >&2; tail -20 "$2" >&2; exit 1; }
    sleep 0.01
  done
  FIRST_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
}

require_tools() {
  local tool
  for tool in wrk nginx taskset curl; do
    command -v $tool >/dev/null || {
      echo "bench: $tool is missing (apt-get install -y wrk nginx libnginx-mod-http-echo)" >&2
      exit 1
    }
  done
}
