#!/usr/bin/env bash
# The repo's benchmarks, one entry point. Not part of ./mvnw verify. Needs wrk, nginx, libnginx-mod-http-echo
# (Debian) and taskset.
#   bench/run.sh [cold]   # the headline: each replica started the way the image starts it, on one core, loaded from
#                         # its first answer until its throughput settles, side by side with the floor of the stack and
#                         # Spring Cloud Gateway (bench/cold.sh; its settings are in its header)
#   bench/run.sh warm     # a JVM warmed up on two cores, then pinned on one: rates, latencies and rejections at 16, 64
#                         # and 256 connections (bench/warm.sh)
#   bench/run.sh soak     # memory: 10 minutes against a slow store, 5 against a fast one, RSS every 5 s (bench/soak.sh)
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-cold}
case $mode in
  cold | warm | soak) shift $(( $# > 0 ? 1 : 0 )); exec bash "./$mode.sh" "$@" ;;
  *) echo "usage: bench/run.sh [cold|warm|soak]" >&2; exit 2 ;;
esac
