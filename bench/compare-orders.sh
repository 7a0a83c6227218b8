#!/usr/bin/env bash
# Order placement of two builds side by side, in one run: e.g. main before the outbox (A) and after (B).
# Each tree runs its own product-service and order-service; one auth-service (B's) gives both their tokens.
# B gets a Kafka broker (kafka-local, as run-local.sh starts it) and a gateway with the cache on that reads
# the product events, so B pays for everything events cost: the outbox rows in each transaction, the relays,
# and a consumer. wrk places orders on A and B in turns, round after round, straight at each order-service.
# Prints every round, the medians and B/A per round, then the event delay measured by B's gateway (from the
# commit of a reservation to the gateway having dropped the product from its cache): p50 and p99.
#
#   git worktree add /tmp/before <commit>
#   bench/compare-orders.sh /tmp/before .          # A = the tree before, B = this one
#   ROUNDS=10 DURATION=10s bench/compare-orders.sh A B
#   B_EVENTS=outbox-only bench/compare-orders.sh A B   # B records its events and relays none (no broker, no
#                                                      # consumer): the outbox's own cost, apart from Kafka's
#   DB=postgres bench/compare-orders.sh A B    # every service on one local PostgreSQL server (a database each),
#                                              # as in Kubernetes, instead of its embedded H2 file
#
# Needs wrk (installed from Debian's packages when missing), curl, a JDK >= 21 (scripts/find-jdk.sh); with
# DB=postgres, PostgreSQL's server binaries (Debian's postgresql, installed when missing; run as user postgres).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[[ $# -eq 2 ]] || { echo "usage: $0 TREE_A TREE_B" >&2; exit 2; }
A=$(readlink -f "$1") B=$(readlink -f "$2")

ROUNDS="${ROUNDS:-6}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-30s}"
CONNECTIONS="${CONNECTIONS:-8}"
B_EVENTS="${B_EVENTS:-on}"
DB="${DB:-h2}"
WORK=$(mktemp -d /tmp/compare-orders.XXXXXX)

# shellcheck source=bench/side-by-side.sh
source bench/side-by-side.sh
# shellcheck source=bench/kafka.sh
source bench/kafka.sh
JAVA=$(scripts/find-jdk.sh)
for tree in "$A" "$B"; do (cd "$tree" && ./mvnw -B -q package -DskipTests); done

start_kafka "$B" "$WORK/kafka" 19092 19093
PIDS+=("$KAFKA_PID")

db_env() { :; } # name -> its database settings: none for H2, each service on its own file
if [[ $DB == postgres ]]; then
  PG_PORT=15432
  start_postgres "$PG_PORT" product_a order_a product_b order_b
  db_env() { echo "DB_URL=jdbc:postgresql://localhost:$PG_PORT/$1 DB_USER=postgres DB_PASSWORD=bench"; }
fi

export AUTH_SERVICE_URL=http://localhost:19081 MALLOC_ARENA_MAX=2
ORDER_SERVICE_CLIENT_SECRET="compare-$(date +%s)-secret-Walrus"
export ORDER_SERVICE_CLIENT_SECRET
start_auth "$B"
# shellcheck disable=SC2046 # db_env's words are separate assignments
start_service product-a 19082 "$A" product-service $(db_env product_a)
# shellcheck disable=SC2046
start_service order-a 19083 "$A" order-service PRODUCT_SERVICE_URL=http://localhost:19082 $(db_env order_a)
B_KAFKA=localhost:19092
[[ $B_EVENTS == outbox-only ]] && B_KAFKA=""
# shellcheck disable=SC2046
start_service product-b 19182 "$B" product-service KAFKA_BOOTSTRAP_SERVERS="$B_KAFKA" $(db_env product_b)
# shellcheck disable=SC2046
start_service order-b 19183 "$B" order-service PRODUCT_SERVICE_URL=http://localhost:19182 KAFKA_BOOTSTRAP_SERVERS="$B_KAFKA" \
  $(db_env order_b)
start_service gateway-b 19180 "$B" gateway PRODUCT_SERVICE_URL=http://localhost:19182 ORDER_SERVICE_URL=http://localhost:19183 \
  KAFKA_BOOTSTRAP_SERVERS=localhost:19092 CACHE_TTL_SECONDS=3600 \
  RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 LOGIN_RATE_LIMIT_PER_MINUTE=1000000
# CPU per order: each side's order and product services (B's consuming gateway and the broker are not counted)
SIDE_A=(order-a product-a) SIDE_B=(order-b product-b)

json='Content-Type: application/json'
field() { sed -E "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/"; }
token=$(admin_token)
product_on() { # product-service port -> id of a new product with stock for every order
  curl -fs -X POST "http://localhost:$1/api/products" -H "Authorization: Bearer $token" -H "$json" \
    -d '{"name":"Compare","sku":"CMP-ORDERS","description":"side by side","price":1.5,"currency":"EUR","category":"bench","stock":100000000}' \
    | field id
}
# written again before every drive, with a new token (admin_token)
order_script() { # side product-id
  cat > "$WORK/order-$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $(admin_token)"
wrk.body = '{"items":[{"productId":"$2","quantity":1}]}'
LUA
}
PRODUCT_A=$(product_on 19082)
PRODUCT_B=$(product_on 19182)
# B's gateway caches the product, so every reservation's stock-changed event has something to drop
curl -fs -o /dev/null "http://localhost:19180/api/products/$PRODUCT_B"

drive_a() { order_script A "$PRODUCT_A"; wrk_rate "order-service A" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" -s "$WORK/order-A.lua" http://localhost:19083/api/orders; }
drive_b() { order_script B "$PRODUCT_B"; wrk_rate "order-service B" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" -s "$WORK/order-B.lua" http://localhost:19183/api/orders; }
side_by_side orders/s "POST /api/orders on order-service A ($A) and B ($B, events $B_EVENTS), $CONNECTIONS connections, $DB"

# let the relay and the consumer finish, then read what they measured
sleep 3
metric() { # port name label... -> the value of the first series of that name with those labels
  local port=$1 name=$2; shift 2
  { curl -fs "http://localhost:$port/metrics" || true; } | { grep "^$name{" || true; } | { while read -r line; do
      local all=1 label
      for label in "$@"; do [[ $line == *"$label"* ]] || all=0; done
      if [[ $all -eq 1 ]]; then echo "${line##* }"; break; fi
    done; }
}
p50=$(metric 19180 events_delay_seconds 'consumer="gateway"' 'quantile="0.5"')
p99=$(metric 19180 events_delay_seconds 'consumer="gateway"' 'quantile="0.99"')
applied=$(metric 19180 events_consumed_total 'consumer="gateway"')
backlog=$(metric 19182 events_outbox_backlog 'service="product-service"')
[[ $B_EVENTS == outbox-only ]] && { echo "(B relays nothing: no event delay to report; product-service B's outbox holds $backlog events)"; exit 0; }
echo "event delay, product-service B's commit to gateway B's cache drop: p50 $(awk -v s="$p50" 'BEGIN {printf "%.1f", s * 1000}') ms," \
     "p99 $(awk -v s="$p99" 'BEGIN {printf "%.1f", s * 1000}') ms (over the last minutes; $applied events applied; product-service B's outbox backlog now $backlog)"
