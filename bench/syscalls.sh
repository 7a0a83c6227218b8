#!/usr/bin/env bash
# Where a proxied request's cost goes, the gateway against nginx: the same product read (cache off), through
# each proxy in front of one product service, and on the product service itself. For each: requests/s, context
# switches and bytes written per request (from /proc, undisturbed), then the system calls per request by
# name, counted by `strace -f -c` in a second run (strace slows the process down; the counts per request are
# what is compared, not the times).
#
#   bench/syscalls.sh
#   DURATION=20s CONNECTIONS=64 bench/syscalls.sh
#
# Needs wrk, nginx and strace (installed from Debian's packages when missing), curl, a JDK >= 21.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
ROOT=$(pwd)

DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-32}"
WORK=$(mktemp -d /tmp/syscalls.XXXXXX)
PATH="$PATH:/usr/sbin"

# shellcheck source=bench/side-by-side.sh
source bench/side-by-side.sh
# shellcheck source=bench/nginx.sh
source bench/nginx.sh
missing=()
for tool in nginx strace; do # each Debian package is named as its command
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
JAVA=$(scripts/find-jdk.sh)
./mvnw -B -q package -DskipTests

export AUTH_SERVICE_URL=http://localhost:19081 PRODUCT_SERVICE_URL=http://localhost:19082
export ORDER_SERVICE_URL=http://localhost:19083 MALLOC_ARENA_MAX=2
export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 LOGIN_RATE_LIMIT_PER_MINUTE=1000000
start_service auth-service 19081 "$ROOT" auth-service ADMIN_EMAIL=bench@example.com \
  ADMIN_PASSWORD="syscalls-$(date +%s)-Horse"
start_service product-service 19082 "$ROOT" product-service
start_service gateway 19080 "$ROOT" gateway CACHE_TTL_SECONDS=0

# nginx as in bench/run.sh (bench/nginx.sh)
nginx_config "$WORK/nginx" 19097 19082
# shellcheck disable=SC2046 # the command's words
$(nginx_command "$WORK/nginx") &
PIDS+=($!)
PID_OF[nginx]=$!
until curl -fs -o /dev/null http://localhost:19097/api/products/categories; do sleep 0.1; done

product=$(curl -fsS "http://localhost:19082/api/products?limit=1" | sed -E 's/.*"id":"([^"]+)".*/\1/')

pids_of() { # name -> the process and its children (nginx's workers)
  local pid=${PID_OF[$1]}
  echo "$pid" $(pgrep -P "$pid" || true)
}
switches() { # pids... -> voluntary and involuntary context switches of all their threads
  cat $(printf '/proc/%s/task/*/status ' "$@") 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n}'
}
written() { # pids... -> bytes they wrote with write-family system calls
  cat $(printf '/proc/%s/io ' "$@") | awk '/^wchar/ {n += $2} END {print n}'
}
requests() { # wrk output -> requests
  awk '/requests in/ {print $1}'
}

echo "## System calls per proxied request: $CONNECTIONS connections, $DURATION ($(nproc) cores, $(date -u +%F))"
echo
echo "| process | req/s | context switches/request | bytes written/request | system calls/request (strace -f -c) | of which |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
for name in nginx gateway product-service; do
  case $name in
    nginx) port=19097 ;;
    gateway) port=19080 ;;
    product-service) port=19082 ;;
  esac
  url="http://localhost:$port/api/products/$product"
  read -r -a pids <<< "$(pids_of "$name")"
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$url" > /dev/null
  switches_before=$(switches "${pids[@]}") written_before=$(written "${pids[@]}")
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$url")
  n=$(requests <<< "$out")
  rate=$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<< "$out")
  per_switch=$(awk -v d=$(( $(switches "${pids[@]}") - switches_before )) -v n="$n" 'BEGIN {printf "%.2f", d / n}')
  per_written=$(( ($(written "${pids[@]}") - written_before) / n ))

  strace_args=()
  for pid in "${pids[@]}"; do strace_args+=(-p "$pid"); done
  strace -f -c -o "$WORK/strace-$name.txt" "${strace_args[@]}" 2> /dev/null &
  tracer=$!
  sleep 1
  n=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "$url" | requests)
  kill -INT "$tracer"; wait "$tracer" 2>/dev/null || true
  # strace -c: "% time, seconds, usecs/call, calls, [errors,] syscall": the calls are the 4th column
  total=$(awk -v n="$n" '$NF == "total" {printf "%.2f", $4 / n}' "$WORK/strace-$name.txt")
  top=$(awk -v n="$n" '$1 ~ /^[0-9.]+$/ && $NF != "total" && $4 / n >= 0.01 {printf "%s %.2f\n", $NF, $4 / n}' \
          "$WORK/strace-$name.txt" | sort -k2 -rn | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}')
  echo "| $name | $rate | $per_switch | $per_written | $total | $top |"
done
