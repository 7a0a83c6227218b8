#!/usr/bin/env bash
# The project's benchmark: starts the stack from the packaged jars (embedded H2, rate limits raised),
# a second gateway with the cache on, and the bare Helidon proxy; warms up; then drives each scenario
# with wrk for several rounds, interleaved so that every scenario sees the same machine, and prints
# medians of throughput and p50/p99 latency, start-up times and resident memory.
#
#   bench/run.sh                      # 5 rounds of 10 s per scenario
#   ROUNDS=3 DURATION=5s bench/run.sh
#   WARMUP=10s bench/run.sh            # each scenario's warm-up (default 20 s)
#   AOT=0 bench/run.sh                 # without the JDK AOT caches the images use
#
# Needs wrk (installed from Debian's packages when missing), curl, a JDK >= 21 (scripts/find-jdk.sh).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
ROOT=$(pwd)

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-10s}"
# long enough for the JIT to settle in the bare proxy too, which has no AOT cache
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
WORK=$(mktemp -d /tmp/bench.XXXXXX)
RESULTS="$WORK/results.tsv"

if ! command -v wrk >/dev/null; then
  echo "installing wrk ..." >&2
  apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null
fi
JAVA=$(scripts/find-jdk.sh)

./mvnw -B -q -Pbench package -DskipTests

declare -A PORT=([gateway]=18080 [auth-service]=18081 [product-service]=18082 [order-service]=18083
                 [gateway-cached]=18090 [bare-proxy]=18099 [express-proxy]=18098)
declare -A PID=()
# each service with its image's JVM settings (<service>/jvm.options) and, as in the image, few malloc
# arenas; RSS is reported at the end. The bare proxy gets the gateway's settings.
export MALLOC_ARENA_MAX=2

export AUTH_SERVICE_URL="http://localhost:${PORT[auth-service]}"
export PRODUCT_SERVICE_URL="http://localhost:${PORT[product-service]}"
export ORDER_SERVICE_URL="http://localhost:${PORT[order-service]}"
export ADMIN_EMAIL="bench-admin@example.com" ADMIN_PASSWORD="bench-Trombone-lighthouse"
# the order service's identity toward the product service (see run-local.sh)
export ORDER_SERVICE_CLIENT_SECRET="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export RATE_LIMIT_PER_SECOND=1000000 RATE_LIMIT_BURST=1000000 LOGIN_RATE_LIMIT_PER_MINUTE=1000000 LOGIN_THROTTLE_MAX_FAILURES=1000000

cleanup() {
  for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

now_ms() { date +%s%3N; }

# start one process, wait for it to be ready, record its pid and the milliseconds that took
declare -A STARTUP=()
start() {
  local name=$1 ready_path=$2; shift 2
  local begin; begin=$(now_ms)
  "$@" > "$WORK/$name.log" 2>&1 &
  PID[$name]=$!
  until curl -fs -o /dev/null --max-time 1 "http://localhost:${PORT[$name]}$ready_path"; do
    kill -0 "${PID[$name]}" 2>/dev/null || { echo "$name died:" >&2; tail -20 "$WORK/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  STARTUP[$name]=$(( $(now_ms) - begin ))
}

service() { # name [extra env ...]
  local name=$1; shift
  local module=${name%-cached}
  # run in the scratch directory, so the default H2 files land in $WORK/data; exec: the background job
  # becomes the JVM itself, so its pid is the one to measure and stop
  cd "$WORK"
  local aot=()
  [[ -f "$WORK/$module.aot" ]] && aot=(-XX:AOTCache="$WORK/$module.aot")
  exec env SERVER_PORT="${PORT[$name]}" "$@" "$JAVA" "@$ROOT/$module/jvm.options" "${aot[@]}" \
    -jar "$ROOT/$module/target/$module.jar"
}

# As in the container images: a JDK AOT cache per service (JDK 25, JEP 514/515) from a training run that
# starts the service on a throwaway database and stops it. AOT=0 measures without.
train() { # module [env ...]
  local module=$1; shift
  mkdir -p "$WORK/train-$module"
  (cd "$WORK/train-$module" && exec env SERVER_PORT=18999 "$@" "$JAVA" "@$ROOT/$module/jvm.options" \
      -XX:AOTCacheOutput="$WORK/$module.aot" -jar "$ROOT/$module/target/$module.jar") > "$WORK/train-$module.log" 2>&1 &
  local pid=$!
  until curl -fs -o /dev/null --max-time 1 http://localhost:18999/health/live; do sleep 0.1; done
  kill -TERM "$pid"; wait "$pid" || true
}
if [[ "${AOT:-1}" == 1 ]]; then
  echo "training AOT caches ..." >&2
  train auth-service ADMIN_EMAIL=train@example.com ADMIN_PASSWORD=aot-warm-up-only
  for module in product-service order-service gateway; do train "$module"; done
fi

# one at a time, so each start-up time is the service's own
start auth-service /health/ready service auth-service
start product-service /health/ready service product-service
start order-service /health/ready service order-service
start gateway /health/ready service gateway CACHE_TTL_SECONDS=0
start gateway-cached /health/ready service gateway-cached CACHE_TTL_SECONDS=3600
start bare-proxy /api/products/categories \
  "$JAVA" @gateway/jvm.options -cp benchmarks/target/benchmarks.jar io.example.benchmarks.BareProxy \
  "${PORT[bare-proxy]}" "$PRODUCT_SERVICE_URL"

# the Node.js/Express equivalent of the pass-through, when node is installed
if command -v node >/dev/null; then
  (cd bench/node-proxy && npm ci --silent --no-audit --no-fund >/dev/null 2>&1)
  start express-proxy /api/products/categories \
    node bench/node-proxy/proxy.js "${PORT[express-proxy]}" "$PRODUCT_SERVICE_URL"
fi

G="http://localhost:${PORT[gateway]}"
json='Content-Type: application/json'
field() { sed -E "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/"; }
login() {
  curl -fsS -X POST "$G/api/auth/login" -H "$json" -d "{\"email\":\"$1\",\"password\":\"$2\"}" | field accessToken
}

curl -fsS -o /dev/null -X POST "$G/api/auth/register" -H "$json" \
  -d '{"email":"bench-user@example.com","password":"bench-Lighthouse-keeper","name":"Bench"}'
ADMIN_TOKEN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
PRODUCT_ID=$(curl -fsS "$G/api/products?limit=1" | field id)
# a product with stock for every order the POST scenario can place
ORDER_PRODUCT=$(curl -fsS -X POST "$G/api/products" -H "$json" -H "Authorization: Bearer $ADMIN_TOKEN" \
  -d '{"sku":"BENCH-1","name":"Benchmark widget","description":"for bench/run.sh","category":"bench","price":1.00,"currency":"EUR","stock":100000000}' \
  | field id)
STOCK_BEFORE=$(curl -fsS "http://localhost:${PORT[product-service]}/api/products/$ORDER_PRODUCT" | field stock)

cat > "$WORK/post-order.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"items":[{"productId":"$ORDER_PRODUCT","quantity":1}]}'
EOF
cat > "$WORK/login.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench-user@example.com","password":"bench-Lighthouse-keeper"}'
EOF

SCENARIOS=(product-direct bare-proxy gateway-passthrough gateway-cached orders-list orders-create login)
[[ -n "${PID[express-proxy]:-}" ]] && SCENARIOS=(express-proxy "${SCENARIOS[@]}")
# run_scenario NAME -> wrk output
run_scenario() {
  local token; token=$(login bench-user@example.com bench-Lighthouse-keeper)
  local auth="Authorization: Bearer $token"
  case $1 in
    product-direct)      wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://localhost:${PORT[product-service]}/api/products/$PRODUCT_ID" ;;
    express-proxy)       wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://localhost:${PORT[express-proxy]}/api/products/$PRODUCT_ID" ;;
    bare-proxy)          wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://localhost:${PORT[bare-proxy]}/api/products/$PRODUCT_ID" ;;
    gateway-passthrough) wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$G/api/products/$PRODUCT_ID" ;;
    gateway-cached)      wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "http://localhost:${PORT[gateway-cached]}/api/products/$PRODUCT_ID" ;;
    orders-list)         wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "$auth" "$G/api/orders?limit=5" ;;
    orders-create)       wrk --latency -t"$THREADS" -c8 -d"$DURATION" -H "$auth" -s "$WORK/post-order.lua" "$G/api/orders" ;;
    login)               wrk --latency -t"$THREADS" -c4 -d"$DURATION" -s "$WORK/login.lua" "$G/api/auth/login" ;;
  esac
}

to_ms() { # wrk latency like 1.23ms / 850.00us / 1.20s -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

echo "warming up ..." >&2
WARM_ORDERS=0
# the first requests each process ever serves count too: a cold start must not fail requests either
declare -A WARM_NON2XX=()
for scenario in "${SCENARIOS[@]}"; do
  out=$(DURATION="$WARMUP" run_scenario "$scenario")
  WARM_NON2XX[$scenario]=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  if [[ $scenario == orders-create ]]; then
    WARM_ORDERS=$(awk '/requests in/ {r = $1} /Non-2xx/ {b = $5} END {print r - b}' <<< "$out")
  fi
done

# Allocation per request, from the JVM's own GC counters (jstat, in the JDK): collections x eden size plus
# the change in eden use, over the requests of the round. An estimate, good for comparing processes.
JSTAT="$(dirname "$JAVA")/jstat"
declare -A MEASURED_PID=([product-direct]=product-service [bare-proxy]=bare-proxy
                         [gateway-passthrough]=gateway [gateway-cached]=gateway-cached)
allocated_kb() { # pid -> "collections eden_capacity_kb eden_used_kb"
  "$JSTAT" -gc "$1" | awk 'NR == 2 { print $13 + $15, $5, $6 }'
}

# CPU time (user + system) per request of the measured process and of the product service behind it, from
# /proc/<pid>/stat: steadier than req/s on a shared machine, and it shows where a proxy's time goes
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
us_per_request() { # ticks_before ticks_after requests
  awk -v b="$1" -v a="$2" -v r="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (a - b) * 1000000 / hz / r }'
}

printf 'scenario\tround\trps\tp50_ms\tp99_ms\trequests\tnon2xx\tkb_per_request\tcpu_us\tproduct_cpu_us\n' > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    measured="${MEASURED_PID[$scenario]:-}"
    before=""
    [[ -n "$measured" && -x "$JSTAT" ]] && before=$(allocated_kb "${PID[$measured]}")
    [[ -n "$measured" ]] && cpu_before=$(cpu_ticks "${PID[$measured]}")
    product_cpu_before=$(cpu_ticks "${PID[product-service]}")
    out=$(run_scenario "$scenario")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<< "$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<< "$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<< "$out")")
    requests=$(awk '/requests in/ {print $1}' <<< "$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out"); non2xx=${non2xx:-0}
    kb="-"
    if [[ -n "$before" ]]; then
      kb=$(awk -v b="$before" -v a="$(allocated_kb "${PID[$measured]}")" -v r="$requests" 'BEGIN {
        split(b, x, " "); split(a, y, " "); printf "%.1f", ((y[1] - x[1]) * y[2] + y[3] - x[3]) / r }')
    fi
    cpu="-" product_cpu="-"
    if [[ -n "$measured" ]]; then
      cpu=$(us_per_request "$cpu_before" "$(cpu_ticks "${PID[$measured]}")" "$requests")
      [[ $measured != product-service ]] && product_cpu=$(us_per_request "$product_cpu_before" "$(cpu_ticks "${PID[product-service]}")" "$requests")
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$round" "$rps" "$p50" "$p99" "$requests" "$non2xx" "$kb" \
      "$cpu" "$product_cpu" >> "$RESULTS"
    echo "round $round $scenario: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx $non2xx, KB/request $kb," \
         "CPU us/request $cpu (product service $product_cpu)" >&2
  done
done

STOCK_AFTER=$(curl -fsS "http://localhost:${PORT[product-service]}/api/products/$ORDER_PRODUCT" | field stock)
ORDERS_PLACED=$(awk -F'\t' -v w="$WARM_ORDERS" '$1 == "orders-create" {sum += $6 - $7} END {print sum + w}' "$RESULTS")

echo
echo "## Results: median of $ROUNDS rounds of $DURATION ($(nproc) cores, $(date -u +%F), $("$JAVA" -version 2>&1 | head -n1))"
echo
printf '| scenario | req/s | p50 ms | p99 ms | non-2xx (all rounds) | non-2xx (warm-up) | KB allocated/request | CPU us/request | product service CPU us/request |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for scenario in "${SCENARIOS[@]}"; do
  awk -F'\t' -v s="$scenario" -v warm="${WARM_NON2XX[$scenario]:-0}" '
    $1 == s { n++; rps[n] = $3; p50[n] = $4; p99[n] = $5; bad += $7; if ($8 != "-") { m++; kb[m] = $8 }
              if ($9 != "-") { c++; cpu[c] = $9 } if ($10 != "-") { d++; pcpu[d] = $10 } }
    function median(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END { printf "| %s | %.0f | %.2f | %.2f | %d | %d | %s | %s | %s |\n", s, median(rps, n), median(p50, n), median(p99, n), bad, warm,
                 m ? sprintf("%.1f", median(kb, m)) : "-", c ? sprintf("%.0f", median(cpu, c)) : "-",
                 d ? sprintf("%.0f", median(pcpu, d)) : "-" }
  ' "$RESULTS"
done
echo
echo "gateway pass-through / bare proxy, round by round (same round, side by side):" \
  "$(awk -F'\t' '$1 == "bare-proxy" { b[$2] = $3 } $1 == "gateway-passthrough" { g[$2] = $3 }
       END { for (r = 1; r in b; r++) printf "%s%.2f", (r > 1 ? ", " : ""), g[r] / b[r] }' "$RESULTS")"

median_of() {
  awk -F'\t' -v s="$1" '$1 == s { n++; a[n] = $3 }
    END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
          print (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }' "$RESULTS"
}
echo
awk -v g="$(median_of gateway-passthrough)" -v b="$(median_of bare-proxy)" -v c="$(median_of gateway-cached)" \
    -v l="$(median_of login)" -v e="$(median_of express-proxy)" 'BEGIN {
  printf "- gateway pass-through / bare proxy: %.2f (target >= 0.80)\n", g / b
  if (e > 0) printf "- gateway pass-through / Node.js Express proxy: %.2f (target >= 5)\n", g / e
  printf "- gateway cached / gateway pass-through: %.2f (target >= 3)\n", c / g
  printf "- login: %.1f logins/s with 4 connections on %d cores = %.1f ms of CPU per login (Argon2id m=19 MiB, t=2)\n", l, '"$(nproc)"', 1000 * '"$(nproc)"' / l
}'
ORDERS_STORED=$(curl -fsS "$G/api/orders?limit=1" -H "Authorization: Bearer $(login bench-user@example.com bench-Lighthouse-keeper)" \
  | sed -E 's/.*"total":([0-9]+).*/\1/')
echo "- orders-create: $ORDERS_PLACED answered 2xx (warm-up included; requests still in flight when wrk stops are not counted)," \
     "$ORDERS_STORED orders stored; stock $STOCK_BEFORE -> $STOCK_AFTER, a drop of $(( STOCK_BEFORE - STOCK_AFTER ))" \
     "(must equal the orders stored)"

echo
echo "## Start-up to ready (ms, one service at a time) and resident memory after the load (MiB)"
echo
# RSS splits into the process's own memory (anonymous: heap, metaspace, code, malloc) and pages of mapped
# files (the JDK's libraries, the jars, the AOT cache), which are clean and shared with the page cache
printf '| process | start-up ms | RSS MiB | of which anonymous | of which file-backed |\n| --- | ---: | ---: | ---: | ---: |\n'
for name in auth-service product-service order-service gateway gateway-cached bare-proxy express-proxy; do
  [[ -n "${PID[$name]:-}" ]] || continue
  read -r rss anon file < <(awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2} END {print r, a, f}' \
                               "/proc/${PID[$name]}/status")
  printf '| %s | %s | %d | %d | %d |\n' "$name" "${STARTUP[$name]}" $(( rss / 1024 )) $(( anon / 1024 )) $(( file / 1024 ))
done
echo
echo "raw rounds: $RESULTS"
