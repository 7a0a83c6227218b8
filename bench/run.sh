#!/usr/bin/env bash
# The project's benchmark: starts the stack from the packaged jars (embedded H2, rate limits raised) as shipped:
# a Kafka broker that every service's relay and event consumer works with, and tracing at the Kubernetes setting;
# a second gateway with the cache on, and the reference proxies (the bare Helidon proxy, nginx, and the
# Node.js/Express proxy when node is installed); warms up; then drives each scenario with wrk for several
# rounds, interleaved so that every scenario sees the same machine, and prints medians of throughput and
# p50/p99 latency, the ratios, start-up times and resident memory, and draws the charts (bench/Charts.java).
#
#   bench/run.sh                      # 5 rounds of 10 s per scenario
#   ROUNDS=3 DURATION=5s bench/run.sh
#   WARMUP=10s bench/run.sh            # each scenario's warm-up (default 20 s)
#   AOT=0 bench/run.sh                 # without the JDK AOT caches the images use
#   CHARTS=/tmp/charts bench/run.sh    # where the charts go (default docs/charts)
#   EVENTS=0 bench/run.sh              # no broker: no relays, no event consumers (the default runs one, bench/kafka.sh)
#   TRACING=off bench/run.sh           # every service's tracing (default 1: 1% of new traces sampled, spans
#                                      # exported to a local sink, as in Kubernetes; bench/tracing.sh)
#
# Needs wrk and nginx (both installed from Debian's packages when missing), curl, python3 (the span sink),
# a JDK >= 21 (scripts/find-jdk.sh).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
ROOT=$(pwd)

ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-10s}"
# long enough for the JIT to settle in the bare proxy too, which has no AOT cache
WARMUP="${WARMUP:-20s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
CHARTS="${CHARTS:-docs/charts}"
EVENTS="${EVENTS:-1}"
TRACING="${TRACING:-1}"
# the broker of EVENTS=1 (its controller on the next port)
KAFKA_PORT=18192
WORK=$(mktemp -d /tmp/bench.XXXXXX)
RESULTS="$WORK/results.tsv"

# Debian puts nginx in /usr/sbin, which a user's PATH may lack
PATH="$PATH:/usr/sbin"
missing=()
for tool in wrk nginx; do # each Debian package is named as its command
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]} ..." >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
fi
JAVA=$(scripts/find-jdk.sh)
# shellcheck source=bench/nginx.sh
source bench/nginx.sh
# shellcheck source=bench/kafka.sh
source bench/kafka.sh
# shellcheck source=bench/tracing.sh
source bench/tracing.sh

./mvnw -B -q -Pbench package -DskipTests

declare -A PORT=([gateway]=18080 [auth-service]=18081 [product-service]=18082 [order-service]=18083
                 [gateway-cached]=18090 [bare-proxy]=18099 [express-proxy]=18098 [nginx-proxy]=18097)
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

# The gateway as shipped (issue 19's targets are for it): its event consumer reading the product events, the
# relays publishing, and tracing at its Kubernetes setting. The broker starts before the training runs, so that
# its own start-up (seconds of both cores) is over before the services' start-up times are taken, as a cluster's
# broker is up on other nodes; the settings reach the services after the training runs, which, like the
# images', have neither.
if [[ $EVENTS == 1 ]]; then
  start_kafka "$ROOT" "$WORK/kafka" "$KAFKA_PORT" $((KAFKA_PORT + 1))
  PID[kafka]=$KAFKA_PID
fi
if [[ $TRACING != off ]]; then
  start_otlp_sink "$WORK/sink.log"
  PID[otlp-sink]=$SINK_PID
fi

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
# shellcheck disable=SC2046 # assignments, one a word
export KAFKA_BOOTSTRAP_SERVERS="" $(tracing_env off)
if [[ "${AOT:-1}" == 1 ]]; then
  echo "training AOT caches ..." >&2
  train auth-service ADMIN_EMAIL=train@example.com ADMIN_PASSWORD=aot-warm-up-only
  for module in product-service order-service gateway; do train "$module"; done
fi

[[ $EVENTS == 1 ]] && export KAFKA_BOOTSTRAP_SERVERS=localhost:$KAFKA_PORT
# shellcheck disable=SC2046 # assignments, one a word
export $(tracing_env "$TRACING")

# one at a time, so each start-up time is the service's own
start auth-service /health/ready service auth-service
start product-service /health/ready service product-service
start order-service /health/ready service order-service
start gateway /health/ready service gateway CACHE_TTL_SECONDS=0
start gateway-cached /health/ready service gateway-cached CACHE_TTL_SECONDS=3600
start bare-proxy /api/products/categories \
  "$JAVA" @gateway/jvm.options -cp benchmarks/target/benchmarks.jar io.example.benchmarks.BareProxy \
  "${PORT[bare-proxy]}" "$PRODUCT_SERVICE_URL"

# nginx in front of the same product service (bench/nginx.sh)
nginx_config "$WORK/nginx" "${PORT[nginx-proxy]}" "${PORT[product-service]}"
# shellcheck disable=SC2046 # the command's words
start nginx-proxy /api/products/categories $(nginx_command "$WORK/nginx")

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

# the -c1 scenarios: what each hop adds to the latency of one request at a time (the rest measure throughput)
SCENARIOS=(product-direct nginx-proxy bare-proxy gateway-passthrough gateway-cached orders-list orders-create login
           product-direct-c1 nginx-proxy-c1 bare-proxy-c1 gateway-passthrough-c1)
[[ -n "${PID[express-proxy]:-}" ]] && SCENARIOS=(express-proxy "${SCENARIOS[@]}")
# product_read PROCESS [CONNECTIONS] -> wrk output: the product read every proxy scenario compares
product_read() {
  local connections=${2:-$CONNECTIONS}
  wrk --latency -t"$(( connections < THREADS ? connections : THREADS ))" -c"$connections" -d"$DURATION" \
    "http://localhost:${PORT[$1]}/api/products/$PRODUCT_ID"
}
# run_scenario NAME -> wrk output
run_scenario() {
  local token; token=$(login bench-user@example.com bench-Lighthouse-keeper)
  local auth="Authorization: Bearer $token"
  case $1 in
    product-direct)         product_read product-service ;;
    nginx-proxy)            product_read nginx-proxy ;;
    express-proxy)          product_read express-proxy ;;
    bare-proxy)             product_read bare-proxy ;;
    gateway-passthrough)    product_read gateway ;;
    gateway-cached)         product_read gateway-cached ;;
    product-direct-c1)      product_read product-service 1 ;;
    nginx-proxy-c1)         product_read nginx-proxy 1 ;;
    bare-proxy-c1)          product_read bare-proxy 1 ;;
    gateway-passthrough-c1) product_read gateway 1 ;;
    orders-list)            wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H "$auth" "$G/api/orders?limit=5" ;;
    orders-create)          wrk --latency -t"$THREADS" -c8 -d"$DURATION" -H "$auth" -s "$WORK/post-order.lua" "$G/api/orders" ;;
    login)                  wrk --latency -t"$THREADS" -c4 -d"$DURATION" -s "$WORK/login.lua" "$G/api/auth/login" ;;
  esac
}

to_ms() { # wrk latency like 1.23ms / 850.00us / 1.20s -> ms
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# Progress, on a terminal only: the step, the time so far and an estimate of the rest (the wrk time still
# planned, stretched by how much longer than planned the steps so far took)
seconds_of() { # a wrk duration (10s, 2m, 1h, or plain seconds) -> whole seconds
  awk -v d="$1" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; else if (d ~ /h$/) n *= 3600; printf "%d", n }'
}
clock() { printf '%d:%02d' $(( $1 / 60 )) $(( $1 % 60 )); }
PLANNED=$(( ${#SCENARIOS[@]} * ($(seconds_of "$WARMUP") + ROUNDS * $(seconds_of "$DURATION")) ))
PLANNED_DONE=0
STEPS_BEGIN=$(now_ms)
progress() { # what runs now, seconds it plans
  if [[ -t 2 ]]; then
    local elapsed=$(( ($(now_ms) - STEPS_BEGIN) / 1000 )) left=$(( PLANNED - PLANNED_DONE ))
    (( PLANNED_DONE > 0 )) && left=$(( left * elapsed / PLANNED_DONE ))
    printf '\r\033[K%s; %s elapsed, about %s to go' "$1" "$(clock "$elapsed")" "$(clock "$left")" >&2
  fi
  PLANNED_DONE=$(( PLANNED_DONE + $2 ))
}
say() { # a line on stderr, over the progress line
  [[ -t 2 ]] && printf '\r\033[K' >&2
  echo "$@" >&2
}

say "warming up ..."
WARM_ORDERS=0
# the first requests each process ever serves count too: a cold start must not fail requests either
declare -A WARM_NON2XX=()
for scenario in "${SCENARIOS[@]}"; do
  progress "warm-up: $scenario" "$(seconds_of "$WARMUP")"
  out=$(DURATION="$WARMUP" run_scenario "$scenario")
  WARM_NON2XX[$scenario]=$(awk '/Non-2xx/ {print $5}' <<< "$out")
  if [[ $scenario == orders-create ]]; then
    WARM_ORDERS=$(awk '/requests in/ {r = $1} /Non-2xx/ {b = $5} END {print r - b}' <<< "$out")
  fi
done

# Allocation per request, from the JVM's own GC counters (jstat, in the JDK): collections x eden size plus
# the change in eden use, over the requests of the round. An estimate, good for comparing processes.
JSTAT="$(dirname "$JAVA")/jstat"
# the process each scenario measures: its CPU time always, its allocation when it is a JVM
declare -A MEASURED_PID=([product-direct]=product-service [nginx-proxy]=nginx-proxy [express-proxy]=express-proxy
                         [bare-proxy]=bare-proxy [gateway-passthrough]=gateway [gateway-cached]=gateway-cached
                         [product-direct-c1]=product-service [nginx-proxy-c1]=nginx-proxy
                         [bare-proxy-c1]=bare-proxy [gateway-passthrough-c1]=gateway)
declare -A JVM=([product-service]=1 [bare-proxy]=1 [gateway]=1 [gateway-cached]=1)
allocated_kb() { # pid -> "collections eden_capacity_kb eden_used_kb"
  "$JSTAT" -gc "$1" | awk 'NR == 2 { print $13 + $15, $5, $6 }'
}

# CPU time (user + system) per request of the measured process and of the product service behind it, from
# /proc/<pid>/stat: steadier than req/s on a shared machine, and it shows where a proxy's time goes
CLK_TCK=$(getconf CLK_TCK)
# a process and its children (nginx's master and workers), each counted in CPU time and memory
family() { echo "$1"; pgrep -P "$1" || true; }
cpu_ticks() { # pid -> ticks of its family
  local pid; for pid in $(family "$1"); do cat "/proc/$pid/stat"; done | awk '{ t += $14 + $15 } END { print t }'
}
us_per_request() { # ticks_before ticks_after requests
  awk -v b="$1" -v a="$2" -v r="$3" -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", (a - b) * 1000000 / hz / r }'
}

printf 'scenario\tround\trps\tp50_ms\tp99_ms\trequests\tnon2xx\tkb_per_request\tcpu_us\tproduct_cpu_us\n' > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    measured="${MEASURED_PID[$scenario]:-}"
    before=""
    [[ -n "$measured" && -n "${JVM[$measured]:-}" && -x "$JSTAT" ]] && before=$(allocated_kb "${PID[$measured]}")
    [[ -n "$measured" ]] && cpu_before=$(cpu_ticks "${PID[$measured]}")
    product_cpu_before=$(cpu_ticks "${PID[product-service]}")
    progress "round $round of $ROUNDS: $scenario" "$(seconds_of "$DURATION")"
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
    say "round $round $scenario: $rps req/s, p50 ${p50} ms, p99 ${p99} ms, non-2xx $non2xx, KB/request $kb," \
        "CPU us/request $cpu (product service $product_cpu)"
  done
done

[[ -t 2 ]] && printf '\r\033[K' >&2
STOCK_AFTER=$(curl -fsS "http://localhost:${PORT[product-service]}/api/products/$ORDER_PRODUCT" | field stock)
ORDERS_PLACED=$(awk -F'\t' -v w="$WARM_ORDERS" '$1 == "orders-create" {sum += $6 - $7} END {print sum + w}' "$RESULTS")

echo
echo "## Results: median of $ROUNDS rounds of $DURATION ($(nproc) cores, $(date -u +%F), $("$JAVA" -version 2>&1 | head -n1);" \
     "events $([[ $EVENTS == 1 ]] && echo on || echo off), tracing $TRACING$([[ $TRACING != off ]] && echo %))"
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
# rps_ratio_by_round A B -> A's req/s over B's, one round a line (the same round: side by side)
rps_ratio_by_round() {
  awk -F'\t' -v a="$1" -v b="$2" '$1 == a { x[$2] = $3 } $1 == b { y[$2] = $3 }
    END { for (r = 1; r in x && r in y; r++) printf "%.2f\n", x[r] / y[r] }' "$RESULTS"
}
# At one connection, what a proxy's hop adds to the p50 of the product read against what nginx's adds:
# (proxy - direct) / (nginx - direct), one round a line; the gateway's unless a -c1 scenario is named
hop_ratio_by_round() {
  awk -F'\t' -v p="${1:-gateway-passthrough-c1}" '$1 == "product-direct-c1" { d[$2] = $4 } $1 == "nginx-proxy-c1" { n[$2] = $4 }
    $1 == p { g[$2] = $4 }
    END { for (r = 1; r in d; r++) if (n[r] > d[r]) printf "%.2f\n", (g[r] - d[r]) / (n[r] - d[r]); else print "n/a" }' "$RESULTS"
}
median() { # numbers, one a line -> their median ("n/a" lines left out)
  awk '$1 != "n/a"' | sort -g | awk '{ v[NR] = $1 }
    END { if (NR == 0) print "n/a"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
median_of() { # scenario [column, 3 = req/s] -> the median of its rounds
  awk -F'\t' -v s="$1" -v c="${2:-3}" '$1 == s { print $c }' "$RESULTS" | median
}
joined() { paste -sd, - | sed 's/,/, /g'; }
echo "gateway pass-through / bare proxy, round by round (same round, side by side):" \
  "$(rps_ratio_by_round gateway-passthrough bare-proxy | joined)"
echo "gateway pass-through / nginx, round by round: $(rps_ratio_by_round gateway-passthrough nginx-proxy | joined)" \
  "(median $(rps_ratio_by_round gateway-passthrough nginx-proxy | median))"
echo "one connection, p50 added by the gateway hop / by the nginx hop, round by round: $(hop_ratio_by_round | joined)" \
  "(median $(hop_ratio_by_round | median))"
echo "one connection, p50 added by the bare proxy's hop / by the nginx hop (the floor of a Helidon proxy here)," \
  "round by round: $(hop_ratio_by_round bare-proxy-c1 | joined) (median $(hop_ratio_by_round bare-proxy-c1 | median))"

echo
awk -v g="$(median_of gateway-passthrough)" -v b="$(median_of bare-proxy)" -v c="$(median_of gateway-cached)" \
    -v l="$(median_of login)" -v e="$(median_of express-proxy)" -v n="$(median_of nginx-proxy)" 'BEGIN {
  printf "- gateway pass-through / bare proxy: %.2f (target >= 0.80)\n", g / b
  printf "- gateway pass-through / nginx: %.2f (target >= 0.6)\n", g / n
  if (e > 0) printf "- gateway pass-through / Node.js Express proxy: %.2f (target >= 5)\n", g / e
  printf "- gateway cached / gateway pass-through: %.2f (target >= 3)\n", c / g
  printf "- login: %.1f logins/s with 4 connections on %d cores = %.1f ms of CPU per login (Argon2id m=19 MiB, t=2)\n", l, '"$(nproc)"', 1000 * '"$(nproc)"' / l
}'
awk -v d="$(median_of product-direct-c1 4)" -v n="$(median_of nginx-proxy-c1 4)" -v g="$(median_of gateway-passthrough-c1 4)" \
    -v b="$(median_of bare-proxy-c1 4)" -v r="$(hop_ratio_by_round | median)" 'BEGIN {
  printf "- one connection (-c1), added to the p50 of the product read by the hop (medians of the rounds): gateway %.3f ms," \
         " bare proxy %.3f ms, nginx %.3f ms; gateway hop / nginx hop: %s (median of the rounds; target <= 1.5)\n",
         g - d, b - d, n - d, r
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
for name in auth-service product-service order-service gateway gateway-cached bare-proxy express-proxy nginx-proxy; do
  [[ -n "${PID[$name]:-}" ]] || continue
  read -r rss anon file < <(for pid in $(family "${PID[$name]}"); do cat "/proc/$pid/status"; done |
                             awk '/^VmRSS/ {r += $2} /^RssAnon/ {a += $2} /^RssFile/ {f += $2} END {print r, a, f}')
  printf '| %s | %s | %d | %d | %d |\n' "$name" "${STARTUP[$name]}" $(( rss / 1024 )) $(( anon / 1024 )) $(( file / 1024 ))
done

mkdir -p "$CHARTS"
"$JAVA" bench/Charts.java "$RESULTS" "$CHARTS" \
  --caption "median of $ROUNDS rounds of $DURATION, wrk on the same $(nproc)-core machine, $(date -u +%F)" \
  --reference product-direct,nginx-proxy,express-proxy,bare-proxy,product-direct-c1,nginx-proxy-c1,bare-proxy-c1
echo
echo "raw rounds: $RESULTS; charts: $CHARTS/throughput.svg, $CHARTS/latency.svg"
