#!/usr/bin/env bash
# Added latency at half of peak load (SPEC §8: p99 added vs direct-to-origin <= 1 ms at half of
# peak). A constant-rate load (src/FixedRateLoad.java, wrk2-style, latency from the scheduled send
# time, HdrHistogram) runs at the same rate against the origin directly and through Zoneplane's data
# plane; the report is the p99 difference. Loopback only; not part of the test suite.
#
#   bench/latency/run.sh [--rate RPS] [--peak RPS] [--duration S] [--warmup S] [--jit-warmup S]
#                        [--connections N] [--rounds N] [--no-pin] [--summary-file F] [--sched-trace DIR]
#
# --rate sets the constant rate; else --peak (Zoneplane's closed-loop peak, e.g. from bench/proxy)
# halved; else the peak is measured here first with wrk (5 s). Before that, --jit-warmup seconds of
# closed-loop wrk load warm the node's JIT. Defaults: 15 s, 3 s constant-rate warm-up, 15 s JIT
# warm-up, 32 connections, 3 rounds. With 2 or more CPUs and taskset, the proxy under test (nginx or
# Zoneplane) runs on CPU 0 and the origin and load generator on the others, so the proxy is not
# descheduled by the load it is measured under; --no-pin shares every CPU between all of them.
# --sched-trace DIR records 3 s of scheduler events (perf sched) in the middle of each measurement
# and prints, per target, the percentiles of how long the proxy's threads waited for a CPU once woken
# (the tail that a shared machine adds) and what ran meanwhile (src/sched_report.py); the raw traces
# and their `perf sched timehist` stay in DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
BENCH_DIR_LATENCY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

RATE=""
PEAK=""
DURATION=15
WARMUP=3
JIT_WARMUP=15
CONNECTIONS=32
ROUNDS=3
SUMMARY_FILE=""
SCHED_DIR=""
PIN=1
HOST_HEADER="bench.test"
JAR="${BENCH_JAR:-$BENCH_REPO_ROOT/data-plane/target/data-plane-exec.jar}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --peak) PEAK="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jit-warmup) JIT_WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --sched-trace) SCHED_DIR="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$DURATION" "$WARMUP" "$JIT_WARMUP" "$CONNECTIONS" "$ROUNDS" ${RATE:+"${RATE%.*}"} ${PEAK:+"${PEAK%.*}"}; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole and positive, got '$value'" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 120 && WARMUP <= 60 && JIT_WARMUP >= 1 && JIT_WARMUP <= 60 && CONNECTIONS >= 1 && CONNECTIONS <= 1024 && ROUNDS >= 1 && ROUNDS <= 9 )) \
  || { echo "need duration 1..120, warm-up <= 60, connections 1..1024, rounds 1..9" >&2; exit 2; }
[[ -f "$JAR" ]] || bench_fail "data-plane jar not found at $JAR; build it: mvn -B -q -DskipTests package"
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || bench_fail "nginx is needed for the origin (apt-get install nginx-light)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
if [[ -n "$SCHED_DIR" ]]; then
  command -v perf >/dev/null || bench_fail "--sched-trace needs perf (apt-get install linux-perf)"
  mkdir -p "$SCHED_DIR"
fi

CP="$(bench_compile latency)"
# SUT: the proxy under test; LOAD: the origin and the load generator.
SUT=()
LOAD=()
CPUS="$(nproc)"
if (( PIN )) && (( CPUS >= 2 )) && command -v taskset >/dev/null; then
  SUT=(taskset -c 0)
  LOAD=(taskset -c "1-$((CPUS - 1))")
  PLACEMENT="proxy on CPU 0, origin and load generator on CPUs 1-$((CPUS - 1))"
else
  PLACEMENT="all processes share all $CPUS CPUs"
fi
echo "placement: $PLACEMENT" >&2
WORK="$(mktemp -d /tmp/zoneplane-latency.XXXXXX)"
chmod 755 "$WORK"
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
ZP_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
NGINX_PORT="$(bench_free_port)"

bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$NGINX"
if (( ${#LOAD[@]} )); then
  bench_pin_tree "${LOAD[2]}" "$(cat "$WORK/origin/nginx.pid")"
fi

# nginx as a reverse proxy doing the same header work (bench_nginx_proxy, as bench/proxy): the
# baseline that tells how much any proxy adds on this machine at this rate.
bench_nginx_proxy "$WORK/proxy" "$NGINX_PORT" "$ORIGIN_PORT" "$HOST_HEADER"
${SUT[@]+"${SUT[@]}"} "$NGINX" -c "$WORK/proxy/nginx.conf" -p "$WORK/proxy" -e "$WORK/proxy/error.log" >"$WORK/proxy/stdout.log" 2>&1 &
bench_track $!
NGINX_PROXY_PID=$!
bench_wait_http "http://127.0.0.1:$NGINX_PORT/" "$!" "$WORK/proxy/error.log" 10 "$HOST_HEADER"

mkdir -p "$WORK/zoneplane"
bench_zone_snapshot "$WORK/zoneplane/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"
ZONEPLANE_SNAPSHOT_FILE="$WORK/zoneplane/snapshot.json" ZONEPLANE_HTTP_PORT="$ZP_PORT" \
ZONEPLANE_MANAGEMENT_PORT="$ZP_MGMT_PORT" ZONEPLANE_CACHE_DIR="$WORK/zoneplane/cache" \
  ${SUT[@]+"${SUT[@]}"} java ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/zoneplane/stdout.log" 2>&1 &
bench_track $!
ZP_PID=$!
bench_wait_http "http://127.0.0.1:$ZP_MGMT_PORT/health/readiness" "$ZP_PID" "$WORK/zoneplane/stdout.log" 60
bench_wait_http "http://127.0.0.1:$ZP_PORT/" "$ZP_PID" "$WORK/zoneplane/stdout.log" 10 "$HOST_HEADER"

# A fresh node runs interpreted at first: warm its JIT with closed-loop load before any measurement,
# as bench/proxy does, so the constant-rate run measures the compiled proxy.
if command -v wrk >/dev/null; then
  ${LOAD[@]+"${LOAD[@]}"} wrk -t2 -c64 -d"${JIT_WARMUP}s" -H "Host: $HOST_HEADER" "http://127.0.0.1:$ZP_PORT/" >/dev/null
else
  echo "wrk not found: no JIT warm-up beyond the constant-rate warm-up" >&2
fi
if [[ -z "$RATE" ]]; then
  if [[ -z "$PEAK" ]]; then
    command -v wrk >/dev/null || bench_fail "wrk is needed to measure the peak (or pass --peak / --rate)"
    PEAK="$(${LOAD[@]+"${LOAD[@]}"} wrk -t2 -c64 -d5s -H "Host: $HOST_HEADER" "http://127.0.0.1:$ZP_PORT/" | awk '/^Requests\/sec:/ {print $2}')"
    echo "measured Zoneplane closed-loop peak: $PEAK rps" >&2
  fi
  RATE="$(awk -v p="$PEAK" 'BEGIN { printf "%d", p / 2 }')"
fi
(( RATE >= 1 )) || bench_fail "the rate must be at least 1 rps (peak was '$PEAK')"

# Only the target being measured may run: the other proxy is stopped (SIGSTOP) meanwhile, so its
# background threads (a JVM's JIT and GC, a busy-polling loop) take no CPU from the one measured.
# Rounds alternate the targets so that a noisy minute on a shared machine hits all of them; the
# table shows each target's median over the rounds.
proxy_pids() {
  case "$1" in
    nginx) bench_process_tree "$NGINX_PROXY_PID" ;;
    zoneplane) echo "$ZP_PID" ;;
  esac
}
pause_all_but() {
  local signal="$1" keep="$2" other
  for other in nginx zoneplane; do
    [[ "$other" == "$keep" ]] || kill "-$signal" $(proxy_pids "$other") 2>/dev/null || true
  done
}
trap 'pause_all_but CONT none; bench_stop_all; rm -rf "$WORK"' EXIT

declare -A LINE
for round in $(seq 1 "$ROUNDS"); do
  for target in "direct|$ORIGIN_PORT" "nginx|$NGINX_PORT" "zoneplane|$ZP_PORT"; do
    name="${target%%|*}"; port="${target##*|}"
    echo "round $round/$ROUNDS: constant rate $RATE rps against $name: ${WARMUP}s warm-up + ${DURATION}s, $CONNECTIONS connections" >&2
    pause_all_but STOP "$name"
    TRACE_PID=""
    if [[ -n "$SCHED_DIR" ]]; then
      (sleep $(( WARMUP + DURATION / 2 > 2 ? WARMUP + DURATION / 2 - 1 : 0 )) \
        && perf sched record -q -o "$SCHED_DIR/$name-round$round.data" -- sleep 3 >/dev/null 2>&1) &
      TRACE_PID=$!
    fi
    LINE[$name,$round]="$(${LOAD[@]+"${LOAD[@]}"} java -Xmx256m -cp "$CP" FixedRateLoad "$port" "$RATE" "$DURATION" "$WARMUP" "$CONNECTIONS" "$HOST_HEADER")"
    [[ -z "$TRACE_PID" ]] || wait "$TRACE_PID" || echo "perf sched record failed for $name round $round" >&2
    pause_all_but CONT "$name"
  done
done

field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
# median NAME KEY: the median over the rounds of one figure of one target.
median() {
  local round
  for round in $(seq 1 "$ROUNDS"); do field "${LINE[$1,$round]}" "$2"; done \
    | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
rounds_of() {
  local round out=""
  for round in $(seq 1 "$ROUNDS"); do out+="${out:+, }$(field "${LINE[$1,$round]}" "$2")"; done
  echo "$out"
}

echo "## Latency at a constant $RATE rps (half of peak${PEAK:+ $PEAK rps}), ${DURATION}s, $CONNECTIONS connections, $ROUNDS round(s)"
echo
echo "Placement: $PLACEMENT. Medians over the rounds; the idle proxy is stopped while another target is measured."
echo
echo "| target | achieved rps | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | p99 per round |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for name in direct nginx zoneplane; do
  echo "| $name | $(median "$name" achieved_rps) | $(median "$name" p50_ms) | $(median "$name" p90_ms) | $(median "$name" p99_ms) | $(median "$name" p999_ms) | $(median "$name" max_ms) | $(median "$name" errors) | $(rounds_of "$name" p99_ms) |"
done
ADDED="$(awk -v a="$(median zoneplane p99_ms)" -v b="$(median direct p99_ms)" 'BEGIN { printf "%.3f", a - b }')"
NGINX_ADDED="$(awk -v a="$(median nginx p99_ms)" -v b="$(median direct p99_ms)" 'BEGIN { printf "%.3f", a - b }')"
echo
echo "p99 added by Zoneplane at half of peak: $ADDED ms (target <= 1 ms); by nginx at the same rate: $NGINX_ADDED ms."

# Scheduling delays (perf sched timehist: from a thread being woken to it running) of the threads that
# serve requests: Zoneplane's event loops (and its other threads), the nginx proxy's processes, and
# the origin's, picked by thread id. Other processes on the machine are left out.
if [[ -n "$SCHED_DIR" ]]; then
  echo
  echo "Scheduler trace, 3 s per target and round (perf sched timehist; delay = woken to running):"
  echo
  ids() { # one line each: the thread ids of Zoneplane's node, of the nginx proxy, of the origin
    echo "$(ls "/proc/$ZP_PID/task" | tr '\n' ' ')"
    echo "$(bench_process_tree "$NGINX_PROXY_PID" | tr '\n' ' ')"
    echo "$(bench_process_tree "$(cat "$WORK/origin/nginx.pid")" | tr '\n' ' ')"
  }
  mapfile -t IDS < <(ids)
  echo "| target, round | threads | wake-ups | p50 delay ms | p99 delay ms | p99.9 delay ms | max delay ms |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  for data in "$SCHED_DIR"/*.data; do
    [[ -f "$data" ]] || continue
    perf sched timehist -i "$data" 2>/dev/null >"${data%.data}.timehist"
    python3 "$BENCH_DIR_LATENCY/src/sched_report.py" percentiles "$(basename "$data" .data)" "${IDS[@]}" <"${data%.data}.timehist"
  done
  echo
  echo "Waits over 0.25 ms, and what ran on that CPU meanwhile (ms):"
  echo
  echo "| target, round | threads | long waits | their sum ms | who ran meanwhile (ms) |"
  echo "|---|---|---:|---:|---|"
  for data in "$SCHED_DIR"/*.data; do
    [[ -f "$data" ]] || continue
    python3 "$BENCH_DIR_LATENCY/src/sched_report.py" blame "$(basename "$data" .data)" "${IDS[@]}" <"${data%.data}.timehist"
  done
  echo
  echo "Raw traces: $SCHED_DIR (perf sched timehist -i FILE shows who held the CPU meanwhile)."
fi

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "rate=$RATE"
    echo "peak=${PEAK:-}"
    echo "duration_s=$DURATION"
    echo "pinned=$(( ${#SUT[@]} > 0 ))"
    echo "rounds=$ROUNDS"
    for name in direct nginx zoneplane; do
      for key in achieved_rps p50_ms p90_ms p99_ms p999_ms max_ms errors; do
        echo "${name}_${key}=$(median "$name" "$key")"
      done
    done
    echo "p99_added_ms=$ADDED"
    echo "nginx_p99_added_ms=$NGINX_ADDED"
  } >"$SUMMARY_FILE"
fi
