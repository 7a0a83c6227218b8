#!/usr/bin/env bash
# Two builds of the gateway side by side, in one run, against one product service: e.g. main before and
# after a refactoring. Both gateways run at once (cache off, limits raised); wrk drives them in turns, round
# after round, so each round compares the two on the same machine at the same moment. Prints every round and
# the medians, and the ratio B/A per round.
#
#   git worktree add /tmp/before <commit>
#   bench/compare-gateways.sh /tmp/before .          # A = the tree before, B = this one
#   ROUNDS=10 DURATION=10s bench/compare-gateways.sh A B
#
# Each tree is built with `./mvnw -B -q package -DskipTests`; the auth and product services come from B.
# Needs wrk (installed from Debian's packages when missing), curl, a JDK >= 21 (scripts/find-jdk.sh).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
[[ $# -eq 2 ]] || { echo "usage: $0 TREE_A TREE_B" >&2; exit 2; }
A=$(readlink -f "$1") B=$(readlink -f "$2")

ROUNDS="${ROUNDS:-6}"
DURATION="${DURATION:-5s}"
WARMUP="${WARMUP:-30s}"
CONNECTIONS="${CONNECTIONS:-16}"
WORK=$(mktemp -d /tmp/compare.XXXXXX)

# shellcheck source=bench/side-by-side.sh
source bench/side-by-side.sh
JAVA=$(scripts/find-jdk.sh)
for tree in "$A" "$B"; do (cd "$tree" && ./mvnw -B -q package -DskipTests); done

export AUTH_SERVICE_URL=http://localhost:19081 PRODUCT_SERVICE_URL=http://localhost:19082
export ORDER_SERVICE_URL=http://localhost:19083 MALLOC_ARENA_MAX=2
export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 LOGIN_RATE_LIMIT_PER_MINUTE=1000000
start_auth "$B"
start_service product-service 19082 "$B" product-service
start_service gateway-a 18180 "$A" gateway CACHE_TTL_SECONDS=0
start_service gateway-b 18190 "$B" gateway CACHE_TTL_SECONDS=0
SIDE_A=(gateway-a) SIDE_B=(gateway-b)

token=$(admin_token)
product=$(curl -fs -X POST http://localhost:19082/api/products -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' \
  -d '{"name":"Compare","sku":"CMP-1","description":"side by side","price":1.5,"category":"bench","stock":10}' \
  | sed -E 's/.*"id":"([^"]+)".*/\1/')

drive_a() { wrk_rate "gateway A" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" "http://localhost:18180/api/products/$product"; }
drive_b() { wrk_rate "gateway B" -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$1" "http://localhost:18190/api/products/$product"; }
side_by_side req/s "GET /api/products/{id} through gateway A ($A) and B ($B), cache off, $CONNECTIONS connections"
