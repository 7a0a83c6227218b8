#!/usr/bin/env bash
# What tracing costs: two stacks side by side in one run, the same build (or two builds) with different
# tracing settings. Each side runs its own gateway, product-service and order-service (one auth-service, B's,
# gives both their tokens; events off on both, so only tracing differs). wrk drives both in turns, round after
# round: first product reads through the gateway (cache off unless CACHE_TTL: every read a proxied call and a query), then
# order placements through the gateway (gateway, order-service, the reservation call, product-service and
# their database statements). Prints both tables, the medians and B/A per round, of throughput and of the CPU
# time each side's three services spent per request.
#
# A setting is `off` or a percentage of new traces sampled (`10`, `100`, `0`), as bench/tracing.sh describes.
#
#   bench/compare-tracing.sh                          # A = this tree, off; B = this tree, 10%
#   B_TRACING=100 bench/compare-tracing.sh
#   A_TREE=/tmp/before B_TRACING=off bench/compare-tracing.sh   # a build before tracing against this one, off
#   CACHE_TTL=5 bench/compare-tracing.sh              # reads from the gateway's cache, as shipped (default 0: off)
#
# Needs wrk (installed from Debian's packages when missing), curl, python3 (the sink), a JDK >= 21.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
A=$(readlink -f "${A_TREE:-.}") B=$(readlink -f "${B_TREE:-.}")
A_TRACING="${A_TRACING:-off}"
B_TRACING="${B_TRACING:-10}"

ROUNDS="${ROUNDS:-6}"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-30s}"
CONNECTIONS="${CONNECTIONS:-8}"
CACHE_TTL="${CACHE_TTL:-0}"
WORK=$(mktemp -d /tmp/compare-tracing.XXXXXX)

# shellcheck source=bench/side-by-side.sh
source bench/side-by-side.sh
# shellcheck source=bench/tracing.sh
source bench/tracing.sh
JAVA=$(scripts/find-jdk.sh)
for tree in $(printf '%s\n' "$A" "$B" | sort -u); do (cd "$tree" && ./mvnw -B -q package -DskipTests); done

# spans go to a sink on this machine that reads and drops them, as a collector on another node would
start_otlp_sink "$WORK/sink.log"
PIDS+=("$SINK_PID")

export AUTH_SERVICE_URL=http://localhost:19081 MALLOC_ARENA_MAX=2 KAFKA_BOOTSTRAP_SERVERS=""
export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 LOGIN_RATE_LIMIT_PER_MINUTE=1000000
ORDER_SERVICE_CLIENT_SECRET="compare-$(date +%s)-secret-Walrus"
export ORDER_SERVICE_CLIENT_SECRET
start_auth "$B"
stack() { # side tree setting base-port
  local side=$1 tree=$2 base=$4
  # shellcheck disable=SC2046 # the settings are words by design
  start_service "product-$side" $((base + 2)) "$tree" product-service $(tracing_env "$3")
  # shellcheck disable=SC2046
  start_service "order-$side" $((base + 3)) "$tree" order-service PRODUCT_SERVICE_URL="http://localhost:$((base + 2))" \
    $(tracing_env "$3")
  # shellcheck disable=SC2046
  start_service "gateway-$side" "$base" "$tree" gateway CACHE_TTL_SECONDS="$CACHE_TTL" \
    PRODUCT_SERVICE_URL="http://localhost:$((base + 2))" ORDER_SERVICE_URL="http://localhost:$((base + 3))" \
    $(tracing_env "$3")
}
stack a "$A" "$A_TRACING" 18180
stack b "$B" "$B_TRACING" 18280
SIDE_A=(gateway-a order-a product-a) SIDE_B=(gateway-b order-b product-b)

json='Content-Type: application/json'
field() { sed -E "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/"; }
token=$(admin_token)
product_on() { # gateway port -> id of a new product with stock for every order
  curl -fs -X POST "http://localhost:$1/api/products" -H "Authorization: Bearer $token" -H "$json" \
    -d "{\"name\":\"Compare\",\"sku\":\"CMP-TRACE-$1\",\"description\":\"side by side\",\"price\":1.5,\"currency\":\"EUR\",\"category\":\"bench\",\"stock\":100000000}" \
    | field id
}
PRODUCT_A=$(product_on 18180)
PRODUCT_B=$(product_on 18280)
# written again before every drive, with a new token (admin_token)
scripts() { # side
  local product=PRODUCT_$1 fresh
  fresh=$(admin_token)
  cat > "$WORK/read-$1.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $fresh"
LUA
  cat > "$WORK/order-$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $fresh"
wrk.body = '{"items":[{"productId":"${!product}","quantity":1}]}'
LUA
}

# shellcheck disable=SC2317 # called by side_by_side, then redefined for the second table
drive_a() { scripts A; wrk_rate "gateway A" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" -s "$WORK/read-A.lua" "http://localhost:18180/api/products/$PRODUCT_A"; }
# shellcheck disable=SC2317
drive_b() { scripts B; wrk_rate "gateway B" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" -s "$WORK/read-B.lua" "http://localhost:18280/api/products/$PRODUCT_B"; }
side_by_side req/s "GET /api/products/{id} through the gateway ($( ((CACHE_TTL)) && echo "cache ${CACHE_TTL} s" || echo "cache off")): A tracing $A_TRACING ($A), B tracing $B_TRACING ($B), $CONNECTIONS connections"
echo
rm -f "$WORK/rounds"
drive_a() { scripts A; wrk_rate "orders A" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" -s "$WORK/order-A.lua" http://localhost:18180/api/orders; }
drive_b() { scripts B; wrk_rate "orders B" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" -s "$WORK/order-B.lua" http://localhost:18280/api/orders; }
side_by_side orders/s "POST /api/orders through the gateway: A tracing $A_TRACING, B tracing $B_TRACING, $CONNECTIONS connections"
