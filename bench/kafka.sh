# shellcheck shell=bash
# Sourced by bench/run.sh and bench/compare-orders.sh: the single-node KRaft broker run-local.sh starts
# (kafka-local), here on ports of the benchmark's own and with its data in a scratch directory.

start_kafka() { # tree directory port controller-port -> the broker's pid in KAFKA_PID, once it takes connections
  local tree=$1 dir=$2 port=$3 controller=$4
  "$JAVA" -Xmx384m -XX:+UseSerialGC -cp "$tree/kafka-local/target/classes:$tree/kafka-local/target/kafka/libs/*" \
    io.example.kafkalocal.LocalKafka "$dir" "$port" "$controller" > "$dir.log" 2>&1 &
  KAFKA_PID=$!
  local _
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    kill -0 "$KAFKA_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "the Kafka broker did not start:" >&2
  tail -20 "$dir.log" >&2
  return 1
}
