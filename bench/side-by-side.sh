# shellcheck shell=bash
# Sourced by bench/compare-*.sh: A and B driven by wrk in turns, round after round, so that each round
# compares the two on the same machine at the same moment; prints every round, the medians and B/A.
#
# The caller sets ROUNDS, DURATION, WARMUP, CONNECTIONS, WORK (a scratch directory, removed at exit) and JAVA, starts what it
# compares with start_service (stopped at exit; start_auth for the one auth-service, admin_token for its tokens),
# and defines drive_a and drive_b: a duration in, "rate p50 requests" out (wrk_rate gives that). When it also lists each side's processes by name in SIDE_A and SIDE_B
# (arrays), every round reports the CPU time each side spent per request: steadier than the throughput ratio on a
# shared machine. The share of it the JIT compilers took over the rounds follows: a side still compiling is not warm.
# Last, that CPU split by process (SIDE_A and SIDE_B name them in the same order) and by thread group (threads named
# alike, /proc/<pid>/task), per request of each side's rounds.

if ! command -v wrk >/dev/null; then
  apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null
fi

# wrk runs a thread per connection at most: at CONNECTIONS=1 (a hop's own latency), one thread
WRK_THREADS=$(( ${CONNECTIONS:-2} < 2 ? 1 : 2 ))

PIDS=()
declare -A PID_OF=()
SIDE_A=() SIDE_B=()
PG_STOP=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true
  if [[ ${#PG_STOP[@]} -gt 0 ]]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_service() { # name port tree module [env ...]: the module's jar, in a directory of its own, until ready
  local name=$1 port=$2 tree=$3 module=$4; shift 4
  mkdir -p "$WORK/$name"
  (cd "$WORK/$name" && exec env SERVER_PORT="$port" "$@" "$JAVA" "@$tree/$module/jvm.options" \
      -jar "$tree/$module/target/$module.jar") > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  PID_OF[$name]=$!
  for _ in $(seq 1 600); do
    curl -fs -o /dev/null --max-time 1 "http://localhost:$port/health/ready" && return
    sleep 0.2
  done
  echo "$name did not get ready:" >&2; tail -20 "$WORK/$name.log" >&2; exit 1
}

start_auth() { # tree: the comparison's one auth-service on 19081, whose admin's tokens drive both sides
  ADMIN_PASSWORD="compare-$(date +%s)-Horse"
  start_service auth-service 19081 "$1" auth-service ADMIN_EMAIL=bench@example.com ADMIN_PASSWORD="$ADMIN_PASSWORD"
}

# A new access token of start_auth's admin. A token lives 15 minutes: a run that may outlast it takes a new one
# before every drive.
admin_token() {
  curl -fs -X POST http://localhost:19081/api/auth/login -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@example.com\",\"password\":\"$ADMIN_PASSWORD\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

start_postgres() { # port database... : a PostgreSQL server of its own in $WORK (durable defaults), until ready
  local port=$1 bin; shift
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z $bin ]]; then
    apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  mkdir -p "$WORK/pg" && chown postgres "$WORK/pg" && chmod 755 "$WORK"
  echo bench > "$WORK/pg-password" && chown postgres "$WORK/pg-password"
  runuser -u postgres -- "$bin/initdb" -D "$WORK/pg/data" -U postgres --pwfile="$WORK/pg-password" -A scram-sha-256 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
    -o "-p $port -k $WORK/pg -c max_connections=200 -c shared_buffers=128MB" start >/dev/null
  PG_STOP=("runuser" "-u" "postgres" "--" "$bin/pg_ctl" "-D" "$WORK/pg/data" "-m" "fast" "stop")
  local database
  for database in "$@"; do
    PGPASSWORD=bench psql -q -h localhost -p "$port" -U postgres -c "CREATE DATABASE $database" >/dev/null
  done
}

wrk_rate() { # label wrk-arguments... -> "requests/s p50 requests"; stops on any non-2xx answer
  local label=$1 out
  shift
  out=$(wrk --latency "$@")
  if grep -q 'Non-2xx' <<< "$out"; then echo "non-2xx answers from $label:" >&2; echo "$out" >&2; exit 1; fi
  echo "$(awk '/Requests\/sec/ {print $2}' <<< "$out") $(awk '$1 == "50%" {print $2}' <<< "$out")" \
       "$(awk '/requests in/ {print $1}' <<< "$out")"
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

cpu_ticks() { # process names... -> user + system time of all of them, in clock ticks (/proc/PID/stat)
  local ticks=0 name
  for name in "$@"; do
    ticks=$(( ticks + $(awk '{print $14 + $15}' "/proc/${PID_OF[$name]}/stat") ))
  done
  echo "$ticks"
}

process_ticks() { # process names... -> each one's user + system time in clock ticks, a line each, in order
  local name
  for name in "$@"; do cpu_ticks "$name"; done
}

thread_ticks() { # process names... -> "group ticks" per group of threads named alike (digits dropped), user + system
  local name
  for name in "$@"; do cat /proc/"${PID_OF[$name]}"/task/*/stat 2>/dev/null; done |
    awk '{ left = index($0, "("); right = match($0, /\) [A-Z] /); group = substr($0, left + 1, right - left - 1)
           gsub(/[0-9]+/, "", group); gsub(/ /, "_", group); split(substr($0, right + 2), f, " ")
           ticks[group] += f[12] + f[13] }
         END { for (g in ticks) print g, ticks[g] }' | sort
}

thread_mark() { # A|B names...: remember the side's CPU time, in all, per process and per thread group
  local side=$1; shift
  cpu_ticks "$@" > "$WORK/cpu-$side"
  process_ticks "$@" > "$WORK/processes-$side"
  thread_ticks "$@" > "$WORK/threads-$side"
}

# Only live threads are read: a thread that ended since the mark takes its time out of its group's figure.
thread_spent() { # A|B names... -> "group ticks" each thread group spent since the side's thread_mark
  local side=$1; shift
  join -a2 -e0 -o 0,1.2,2.2 "$WORK/threads-$side" <(thread_ticks "$@") | awk '{print $1, $3 - $2}'
}

jit_share() { # A|B names... -> the JIT compilers' ("C1/C2 CompilerThread<n>") percentage of the side's CPU since its mark
  local side=$1; shift
  thread_spent "$side" "$@" | awk -v c=$(( $(cpu_ticks "$@") - $(cat "$WORK/cpu-$side") )) \
    '$1 == "C_CompilerThre" {j += $2} END {printf "%.1f%%", (c > 0 ? 100 * j / c : 0)}'
}

thread_cost() { # A|B requests names... -> "group µs-per-request" of the side's threads since its thread_mark
  local side=$1 requests=$2; shift 2
  thread_spent "$side" "$@" | awk -v n="$requests" -v hz="$(getconf CLK_TCK)" '{printf "%s %.0f\n", $1, $2 / hz * 1e6 / n}'
}

process_cost() { # A|B requests names... -> each process's CPU µs per request since the side's thread_mark, a line each
  local side=$1 requests=$2; shift 2
  process_ticks "$@" | paste -d' ' "$WORK/processes-$side" - |
    awk -v n="$requests" -v hz="$(getconf CLK_TCK)" '{printf "%.0f\n", ($2 - $1) / hz * 1e6 / n}'
}

process_report() { # each process's CPU per request over the rounds, A's and B's of the same place side by side
  echo
  echo "| process (A / B) | A µs/request | B µs/request | B - A |"
  echo "| --- | ---: | ---: | ---: |"
  paste -d' ' <(printf '%s\n' "${SIDE_A[@]}") <(printf '%s\n' "${SIDE_B[@]}") \
      <(process_cost A "$(awk '{n += $8} END {print n}' "$WORK/rounds")" "${SIDE_A[@]}") \
      <(process_cost B "$(awk '{n += $9} END {print n}' "$WORK/rounds")" "${SIDE_B[@]}") |
    awk '{printf "| %s / %s | %d | %d | %+d |\n", $1, $2, $3, $4, $4 - $3}'
}

thread_report() { # each thread group's CPU per request over the rounds, A and B (SIDE_A, SIDE_B), largest first
  echo
  echo "| thread group | A µs/request | B µs/request | B - A |"
  echo "| --- | ---: | ---: | ---: |"
  join -a1 -a2 -e0 -o 0,1.2,2.2 \
      <(thread_cost A "$(awk '{n += $8} END {print n}' "$WORK/rounds")" "${SIDE_A[@]}") \
      <(thread_cost B "$(awk '{n += $9} END {print n}' "$WORK/rounds")" "${SIDE_B[@]}") |
    sort -k3,3nr | awk '$2 + $3 >= 5 {printf "| %s | %d | %d | %+d |\n", $1, $2, $3, $3 - $2}'
}

drive_with_cpu() { # a|b duration -> "rate p50 cpu-us-per-request requests" (cpu "-" when that side's processes are not named)
  local side=$1 duration=$2 before rate p50 requests
  local -n names="SIDE_${side^^}"
  [[ ${#names[@]} -gt 0 ]] && before=$(cpu_ticks "${names[@]}")
  read -r rate p50 requests <<< "$("drive_$side" "$duration")"
  if [[ ${#names[@]} -eq 0 ]]; then
    echo "$rate $p50 - $requests"
    return
  fi
  echo "$rate $p50 $(awk -v t=$(( $(cpu_ticks "${names[@]}") - before )) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
                        'BEGIN {printf "%.0f", t / hz * 1e6 / n}') $requests"
}

side_by_side() { # unit title
  local unit=$1 title=$2 round a_rps a_p50 a_cpu a_requests b_rps b_p50 b_cpu b_requests
  echo "warming up ($WARMUP each) ..." >&2
  drive_a "$WARMUP" > /dev/null
  drive_b "$WARMUP" > /dev/null

  echo "## $title: $ROUNDS rounds of $DURATION ($(nproc) cores, $(date -u +%F))"
  echo
  echo "| round | A $unit | A p50 | A CPU µs/request | B $unit | B p50 | B CPU µs/request | B/A | B/A CPU per request |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  if [[ ${#SIDE_A[@]} -gt 0 ]]; then
    thread_mark A "${SIDE_A[@]}"; thread_mark B "${SIDE_B[@]}"
  fi
  for round in $(seq 1 "$ROUNDS"); do
    # A first in odd rounds, B first in even ones: whatever the machine does to the second drive of a round (a
    # collection or compilation set off by the first, a neighbour's load) falls on both sides alike
    if (( round % 2 )); then
      read -r a_rps a_p50 a_cpu a_requests <<< "$(drive_with_cpu a "$DURATION")"
      read -r b_rps b_p50 b_cpu b_requests <<< "$(drive_with_cpu b "$DURATION")"
    else
      read -r b_rps b_p50 b_cpu b_requests <<< "$(drive_with_cpu b "$DURATION")"
      read -r a_rps a_p50 a_cpu a_requests <<< "$(drive_with_cpu a "$DURATION")"
    fi
    echo "$round $a_rps $a_p50 $b_rps $b_p50 $a_cpu $b_cpu $a_requests $b_requests" >> "$WORK/rounds"
    echo "| $round | $a_rps | $a_p50 | $a_cpu | $b_rps | $b_p50 | $b_cpu |" \
         "$(awk -v a="$a_rps" -v b="$b_rps" 'BEGIN {printf "%.2f", b / a}') |" \
         "$(awk -v a="$a_cpu" -v b="$b_cpu" 'BEGIN {if (a == "-") print "-"; else printf "%.2f", b / a}') |"
  done
  echo
  echo "medians: A $(cut -d' ' -f2 "$WORK/rounds" | median) $unit, B $(cut -d' ' -f4 "$WORK/rounds" | median) $unit;" \
       "B/A per round, median $(awk '{print $4 / $2}' "$WORK/rounds" | median)"
  if [[ ${#SIDE_A[@]} -gt 0 ]]; then
    echo "CPU per request (${SIDE_A[*]} / ${SIDE_B[*]}): A $(cut -d' ' -f6 "$WORK/rounds" | median) µs," \
         "B $(cut -d' ' -f7 "$WORK/rounds" | median) µs; B/A per round, median $(awk '{print $7 / $6}' "$WORK/rounds" | median)"
    # a side whose JIT compilers still take a large share is not warm yet: its CPU per request is not its steady cost
    echo "of that, JIT compilation during the rounds: A $(jit_share A "${SIDE_A[@]}"), B $(jit_share B "${SIDE_B[@]}")"
    # where each side's CPU went over the rounds (its work between rounds included), per request of its rounds
    process_report
    thread_report
  fi
}
