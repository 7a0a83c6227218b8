#!/usr/bin/env bash
# Stands in for kubectl, istioctl or curl (whatever name it is installed under) and replays a recorded answer.
# VC_ANSWERS lists scenario folders, first wins: in each, <tool>/<case>/ holds `args` (lines that must all
# occur in the arguments), `stdout` or `stdout.<n>` for the n-th matching call, optional `stderr` and `exit`,
# and `hold` to keep running afterwards as a port-forward does. Every call is logged to $VC_STATE/calls.log.
set -euo pipefail
tool="${0##*/}"
args="$*"
printf '%s %s\n' "$tool" "$args" >>"$VC_STATE/calls.log"

IFS=: read -r -a scenarios <<<"$VC_ANSWERS"
for scenario in "${scenarios[@]}"; do
  for recorded in "$scenario/$tool"/*/; do
    [ -f "$recorded/args" ] || continue
    matches=yes
    while IFS= read -r needle; do
      if [ -n "$needle" ] && [[ "$args" != *"$needle"* ]]; then matches=no; break; fi
    done <"$recorded/args"
    [ "$matches" = yes ] || continue

    counter="$VC_STATE/count${recorded//\//_}"
    calls=$(($(cat "$counter" 2>/dev/null || echo 0) + 1))
    echo "$calls" >"$counter"
    if [ -f "$recorded/stdout.$calls" ]; then cat "$recorded/stdout.$calls"; elif [ -f "$recorded/stdout" ]; then cat "$recorded/stdout"; fi
    if [ -f "$recorded/stderr" ]; then cat "$recorded/stderr" >&2; fi
    if [ -f "$recorded/hold" ]; then exec sleep 60; fi
    exit "$(cat "$recorded/exit" 2>/dev/null || echo 0)"
  done
done
echo "stub $tool: no recorded answer for: $args" >&2
exit 97
