#!/usr/bin/env bash
# Runs a Kafka broker and the four services on this machine as separate processes with embedded defaults
# (H2 files under ./data/, the broker's data in ./data/kafka/), waits until each is ready, prints the URLs
# and a curl walkthrough, and stops all of them on Ctrl-C or SIGTERM (the broker last).
#
#   ./run-local.sh            build what is missing or out of date, then start
#   JAVA_HOME=/path ./run-local.sh
#   KAFKA_BOOTSTRAP_SERVERS=host:9092 ./run-local.sh    use that broker; start none
#   OTEL_TRACES_EXPORTER=logging ./run-local.sh         print every span (no tracing by default; any OTEL_*
#                                                       variable reaches the services: docs/tracing.md)
#
# Every setting of the contract can be overridden from the environment (SERVER_PORT excepted: each
# service gets its own port below; change GATEWAY_PORT etc. instead).
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"

SERVICES=(auth-service product-service order-service gateway)
declare -A PORTS=(
  [gateway]="${GATEWAY_PORT:-8080}"
  [auth-service]="${AUTH_PORT:-8081}"
  [product-service]="${PRODUCT_PORT:-8082}"
  [order-service]="${ORDER_PORT:-8083}"
)
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
READY_TIMEOUT_SECONDS="${READY_TIMEOUT_SECONDS:-60}"
# the user's own broker, or the one started below (kafka-local: one KRaft node)
START_KAFKA=1
[[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]] && START_KAFKA=0

say() { printf '%s\n' "$*" >&2; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

needs_build() {
  local module jar
  for module in kafka-local commons "${SERVICES[@]}"; do
    jar="$module/target/$module.jar"
    [[ -f "$jar" ]] || return 0
    if [[ -n "$(find "$module/src/main" "$module/pom.xml" pom.xml -newer "$jar" -print -quit 2>/dev/null)" ]]; then
      return 0
    fi
  done
  return 1
}

JAVA=$(scripts/find-jdk.sh) || exit 1

if needs_build; then
  say "Building the broker and the services (./mvnw -B -q package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
fi

for service in "${SERVICES[@]}"; do
  port=${PORTS[$service]}
  if port_in_use "$port"; then
    say "error: port $port (for $service) is already in use; stop what holds it or set $(name=${service%%-*}; echo "${name^^}_PORT")"
    exit 1
  fi
done

if [[ $START_KAFKA -eq 1 ]]; then
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then
      say "error: port $port (for the Kafka broker) is already in use; stop what holds it, set KAFKA_PORT and"
      say "       KAFKA_CONTROLLER_PORT, or use a running broker: KAFKA_BOOTSTRAP_SERVERS=host:port ./run-local.sh"
      exit 1
    fi
  done
fi

mkdir -p data
export AUTH_SERVICE_URL="http://localhost:${PORTS[auth-service]}"
export PRODUCT_SERVICE_URL="http://localhost:${PORTS[product-service]}"
export ORDER_SERVICE_URL="http://localhost:${PORTS[order-service]}"
# A local administrator so the admin calls of the walkthrough work; never used outside this script.
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@example.com}"
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-local-Trombone-lighthouse}"
# The order service's identity toward the product service: auth-service gives service tokens for this
# secret and order-service asks with it. A fresh random one per run unless given.
export ORDER_SERVICE_CLIENT_SECRET="${ORDER_SERVICE_CLIENT_SECRET:-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"

PIDS=()
KAFKA_PID=""
stopping=0
# SIGTERM, up to $1 tenths of a second for all to exit, then SIGKILL
stop_processes() {
  local tenths=$1 pid
  shift
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 "$tenths"); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}
stop_all() {
  [[ $stopping -eq 1 ]] && return
  stopping=1
  say ""
  say "Stopping ..."
  stop_processes 100 "${PIDS[@]}"
  # last, so the services' final events still reach it; a controlled shutdown takes a few seconds
  [[ -n "$KAFKA_PID" ]] && stop_processes 300 "$KAFKA_PID"
  wait 2>/dev/null || true
  say "All stopped."
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
# await_ready NAME PID WHAT COMMAND...: until COMMAND succeeds, as long as the process lives and time is left
await_ready() {
  local name=$1 pid=$2 what=$3
  shift 3
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "error: $name exited during start-up; see its lines above."
      exit 1
    fi
    if [[ $SECONDS -ge $deadline ]]; then
      say "error: $name was not ready within ${READY_TIMEOUT_SECONDS}s ($what)."
      exit 1
    fi
    sleep 0.2
  done
}
if [[ $START_KAFKA -eq 1 ]]; then
  # warnings and errors only, and the line that says it has started (what the wait below looks for)
  mkdir -p data/kafka
  : > data/kafka/broker.out
  "$JAVA" -Xmx384m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info \
    -cp "kafka-local/target/kafka-local.jar:kafka-local/target/kafka/libs/*" io.example.kafkalocal.LocalKafka \
    data/kafka "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" > >(tee -a data/kafka/broker.out | sed -u "s/^/[kafka] /") 2>&1 &
  KAFKA_PID=$!
  await_ready "the Kafka broker" "$KAFKA_PID" "its 'Kafka Server started' line" \
    grep -q 'Kafka Server started' data/kafka/broker.out
  export KAFKA_BOOTSTRAP_SERVERS="localhost:$KAFKA_PORT"
fi

for service in "${SERVICES[@]}"; do
  # each line of output prefixed with the service's name; $! is the java process itself
  SERVER_PORT=${PORTS[$service]} "$JAVA" -jar "$service/target/$service.jar" \
    > >(sed -u "s/^/[$service] /") 2>&1 &
  PIDS+=($!)
done

for i in "${!SERVICES[@]}"; do
  service=${SERVICES[$i]}
  url="http://localhost:${PORTS[$service]}/health/ready"
  await_ready "$service" "${PIDS[$i]}" "$url" curl -fs -o /dev/null --max-time 2 "$url"
done

G="http://localhost:${PORTS[gateway]}"
cat >&2 <<EOF

All four services are ready.
  gateway          $G            (the only entry point: /api/...)
  kafka            $KAFKA_BOOTSTRAP_SERVERS  (events; $( [[ $START_KAFKA -eq 1 ]] && echo "started here, data in ./data/kafka/" || echo "yours, from KAFKA_BOOTSTRAP_SERVERS"))
  auth-service     $AUTH_SERVICE_URL
  product-service  $PRODUCT_SERVICE_URL
  order-service    $ORDER_SERVICE_URL
  health, metrics  <service>/health/ready, <service>/metrics
  data             ./data/<service>/ (delete it for a fresh start)
  local admin      $ADMIN_EMAIL / $ADMIN_PASSWORD

Try it (or run scripts/walkthrough.sh, which does all of this):
  curl -s '$G/api/products?limit=3'
  curl -s -X POST $G/api/auth/register -H 'Content-Type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct-horse-battery","name":"Ada"}'
  TOKEN=\$(curl -s -X POST $G/api/auth/login -H 'Content-Type: application/json' \\
       -d '{"email":"ada@example.com","password":"correct-horse-battery"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
  PRODUCT=\$(curl -s '$G/api/products?limit=1' | sed -E 's/.*"id":"([^"]+)".*/\1/')
  curl -s -X POST $G/api/orders -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' \\
       -H 'Idempotency-Key: my-first-order' -d "{\"items\":[{\"productId\":\"\$PRODUCT\",\"quantity\":1}]}"
  curl -s $G/api/orders -H "Authorization: Bearer \$TOKEN"
  curl -s $G/api/overview -H "Authorization: Bearer \$TOKEN"

Press Ctrl-C to stop all of them.
EOF

# Stop everything as soon as any one process dies, so nothing is left half-running.
while true; do
  if [[ -n "$KAFKA_PID" ]] && ! kill -0 "$KAFKA_PID" 2>/dev/null; then
    say "the Kafka broker stopped unexpectedly; stopping the services."
    exit 1
  fi
  for i in "${!SERVICES[@]}"; do
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
      say "${SERVICES[$i]} stopped unexpectedly; stopping the others."
      exit 1
    fi
  done
  sleep 1
done
