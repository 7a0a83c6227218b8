# shellcheck shell=bash
# Sourced by bench/run.sh and bench/compare-tracing.sh: the services' tracing settings, and a sink for what
# they export. A setting is `off` (OTEL_TRACES_EXPORTER=none: nothing recorded, trace context passed on) or a
# percentage of new traces sampled (`1`, as shipped in Kubernetes, kubernetes/components/tracing; `10`; `100`;
# `0`: exporting, nothing new sampled): parentbased_traceidratio, spans exported over OTLP http/protobuf.

SINK_PORT="${SINK_PORT:-14318}"

start_otlp_sink() { # log -> the sink's pid in SINK_PID: an OTLP/HTTP endpoint on SINK_PORT that drops what it reads
  python3 bench/otlp-sink.py "$SINK_PORT" > "$1" 2>&1 &
  SINK_PID=$!
}

tracing_env() { # setting -> env assignments
  case $1 in
    off) echo "OTEL_TRACES_EXPORTER=none" ;;
    *) echo "OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$SINK_PORT" \
            "OTEL_TRACES_SAMPLER=parentbased_traceidratio" \
            "OTEL_TRACES_SAMPLER_ARG=$(awk -v p="$1" 'BEGIN {print p / 100}')" ;;
  esac
}
