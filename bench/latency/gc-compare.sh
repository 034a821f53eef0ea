#!/usr/bin/env bash
# Added tail latency per garbage collector (issue 26, target 2): one data-plane node per collector,
# all started at once on the same origin (nginx, fixed small body), and the same constant-rate load
# (src/FixedRateLoad.java: latency from the scheduled send time, HdrHistogram) against the origin
# directly and against each node, one target at a time (the other nodes SIGSTOPped), in alternating
# rounds (order reversed every other round). Prints, per collector, the p99 and p99.9 each node adds
# over direct (median and worst round), its GC time (jstat) and CPU per request in the measured
# windows. With 2+ CPUs and taskset the node under test runs on CPU 0 and the origin and load on the
# others, as in bench/latency/run.sh. Loopback only, bounded; every process stopped by PID on exit.
# Meant for a quiet machine: figures from a shared one say more about the neighbours than the GC.
#
#   bench/latency/gc-compare.sh [--rate RPS] [--duration S] [--warmup S] [--jit-warmup S] [--rounds N]
#                               [--connections N] [--heap SIZE] [--no-pin] [--summary-file F]
#                               [LABEL="JVM FLAGS" ...]
#
# Defaults: 6000 rps, 15 s measured after 3 s at the rate, 20 s of closed-loop JIT warm-up (wrk) per
# node, 3 rounds, 32 connections, -Xms = -Xmx = 256m for every node, and the collectors JDK 17 offers:
#   g1        -XX:+UseG1GC (the default collector)
#   g1-tuned  -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1 -XX:+AlwaysPreTouch
#   zgc       -XX:+UseZGC (JDK 17's ZGC is not generational; -XX:+ZGenerational is JDK 21+)
#   shenandoah -XX:+UseShenandoahGC (when the JVM has it)
#   parallel  -XX:+UseParallelGC
# LABEL="FLAGS" arguments replace that list (e.g. g1-10ms="-XX:+UseG1GC -XX:MaxGCPauseMillis=10").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RATE=6000
DURATION=15
WARMUP=3
JIT_WARMUP=20
ROUNDS=3
CONNECTIONS=32
HEAP=256m
PIN=1
SUMMARY_FILE=""
HOST_HEADER="bench.test"
declare -A FLAGS
LABELS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jit-warmup) JIT_WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --heap) HEAP="$2"; shift 2 ;;
    --no-pin) PIN=0; shift ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    [a-z]*=*) LABELS+=("${1%%=*}"); FLAGS[${1%%=*}]="${1#*=}"; shift ;;
    *) echo "unknown option: $1 (collectors are given as LABEL=\"FLAGS\")" >&2; exit 2 ;;
  esac
done
for value in "$RATE" "$DURATION" "$WARMUP" "$JIT_WARMUP" "$ROUNDS" "$CONNECTIONS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( RATE >= 1 && DURATION >= 1 && DURATION <= 120 && WARMUP <= 60 && JIT_WARMUP <= 120 && ROUNDS >= 1 && ROUNDS <= 9 \
   && CONNECTIONS >= 1 && CONNECTIONS <= 1024 )) \
  || { echo "need rate >= 1, duration 1..120, warm-up <= 60, jit-warmup <= 120, rounds 1..9, connections 1..1024" >&2; exit 2; }
[[ "$HEAP" =~ ^[0-9]+[mMgG]$ ]] || { echo "--heap takes a size such as 256m, got '$HEAP'" >&2; exit 2; }
for label in ${LABELS[@]+"${LABELS[@]}"}; do
  [[ "$label" =~ ^[a-z0-9-]+$ ]] || { echo "a collector label is lower-case letters, digits and '-', got '$label'" >&2; exit 2; }
done
if (( ${#LABELS[@]} == 0 )); then
  LABELS=(g1 g1-tuned zgc parallel)
  FLAGS=([g1]="-XX:+UseG1GC" [g1-tuned]="-XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:ParallelGCThreads=1 -XX:ConcGCThreads=1 -XX:+AlwaysPreTouch"
         [zgc]="-XX:+UseZGC" [parallel]="-XX:+UseParallelGC")
  if java -XX:+UseShenandoahGC -version >/dev/null 2>&1; then
    LABELS=(g1 g1-tuned zgc shenandoah parallel); FLAGS[shenandoah]="-XX:+UseShenandoahGC"
  fi
fi
for label in "${LABELS[@]}"; do
  # shellcheck disable=SC2086
  java ${FLAGS[$label]} -Xms"$HEAP" -Xmx"$HEAP" -version >/dev/null 2>&1 || bench_fail "this JVM refuses $label's flags: ${FLAGS[$label]}"
done
bench_install_missing nginx=nginx-light wrk=wrk curl=curl
command -v jstat >/dev/null || bench_fail "jstat (JDK) is needed for the GC times"

CP="$(bench_compile latency)"
SUT=(); LOAD=()
if (( PIN )) && (( $(nproc) >= 2 )) && command -v taskset >/dev/null; then
  SUT=(taskset -c 0); LOAD=(taskset -c "1-$(( $(nproc) - 1 ))")
  PLACEMENT="node on CPU 0, origin and load generator on CPUs 1-$(( $(nproc) - 1 ))"
else
  PLACEMENT="all processes share all $(nproc) CPUs"
fi
WORK="$(mktemp -d /tmp/zoneplane-gc-compare.XXXXXX)"
chmod 755 "$WORK"
declare -A NODE_PID NODE_PORT
resume_all() { local l; for l in "${LABELS[@]}"; do [[ -n "${NODE_PID[$l]:-}" ]] && kill -CONT "${NODE_PID[$l]}" 2>/dev/null; done; return 0; }
trap 'resume_all; bench_stop_all; [[ -n "${BENCH_KEEP:-}" ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$(command -v nginx || echo /usr/sbin/nginx)"
(( ${#LOAD[@]} )) && bench_pin_tree "${LOAD[2]}" "$(cat "$WORK/origin/nginx.pid")"
bench_zone_snapshot "$WORK/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"

# every node: started, JIT-warmed with closed-loop load, then stopped (SIGSTOP) until measured
for label in "${LABELS[@]}"; do
  port="$(bench_free_port)"
  JAVA_OPTS="${FLAGS[$label]} -Xms$HEAP -Xmx$HEAP ${JAVA_OPTS:-}" bench_start_node "$WORK/$label" "$WORK/snapshot.json" "$port" "$(bench_free_port)"
  NODE_PID[$label]="$BENCH_NODE_PID"; NODE_PORT[$label]="$port"
  (( ${#SUT[@]} )) && taskset -a -pc 0 "$BENCH_NODE_PID" >/dev/null
  echo "$label (${FLAGS[$label]}): JIT warm-up ${JIT_WARMUP}s" >&2
  (( JIT_WARMUP > 0 )) && ${LOAD[@]+"${LOAD[@]}"} wrk -t2 -c64 -d"${JIT_WARMUP}s" -H "Host: $HOST_HEADER" "http://127.0.0.1:$port/" >/dev/null
  kill -STOP "$BENCH_NODE_PID"
done

gc_seconds() { jstat -gcutil "$1" 2>/dev/null | awk 'NR == 2 { print $NF }'; }   # GCT: total GC time so far
declare -A LINE GC_MS CPU_US
# measure TARGET ROUND
measure() {
  local target="$1" round="$2" port="$ORIGIN_PORT" pid="" gc0=0 gc1=0 cpu0=0 cpu1=0
  if [[ "$target" != direct ]]; then
    pid="${NODE_PID[$target]}"; port="${NODE_PORT[$target]}"
    kill -CONT "$pid"
    gc0="$(gc_seconds "$pid")"; cpu0="$(bench_cpu_ticks "$pid")"
  fi
  echo "round $round: $RATE rps against $target, ${WARMUP}s + ${DURATION}s" >&2
  LINE[$target.$round]="$(${LOAD[@]+"${LOAD[@]}"} java -Xmx256m -cp "$CP" FixedRateLoad "$port" "$RATE" "$DURATION" "$WARMUP" "$CONNECTIONS" "$HOST_HEADER")"
  if [[ -n "$pid" ]]; then
    gc1="$(gc_seconds "$pid")"; cpu1="$(bench_cpu_ticks "$pid")"
    kill -STOP "$pid"
    GC_MS[$target.$round]="$(awk -v a="${gc0:-0}" -v b="${gc1:-0}" 'BEGIN { printf "%.0f", (b - a) * 1000 }')"
    CPU_US[$target.$round]="$(awk -v t=$(( cpu1 - cpu0 )) -v hz="$(getconf CLK_TCK)" -v r="$RATE" -v d=$(( DURATION + WARMUP )) \
        'BEGIN { printf "%.1f", t * 1e6 / hz / (r * d) }')"
  fi
}
bench_alternate "$ROUNDS" measure direct "${LABELS[@]}"

field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
# added LABEL KEY ROUND: that round's figure of the node minus direct's
added() { awk -v a="$(field "${LINE[$1.$3]}" "$2")" -v b="$(field "${LINE[direct.$3]}" "$2")" 'BEGIN { printf "%.3f", a - b }'; }
worst() { printf '%s\n' "$@" | sort -g | tail -n 1; }

echo "## Added tail latency per collector at a constant $RATE rps ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "Placement: $PLACEMENT; heap $HEAP for every node; $ROUNDS round(s) of ${DURATION}s, $CONNECTIONS connections. Added = node minus direct in the same round."
echo
echo "| collector | flags | p99 added ms (median / worst) | p99.9 added ms (median / worst) | p99 per round | GC ms per window (jstat GCT) | CPU µs / request | errors |"
echo "|---|---|---|---|---|---|---|---|"
SUMMARY=()
for label in "${LABELS[@]}"; do
  p99=(); p999=(); gc=(); cpu=(); per_round=""; errors=0
  for round in $(seq 1 "$ROUNDS"); do
    p99+=("$(added "$label" p99_ms "$round")"); p999+=("$(added "$label" p999_ms "$round")")
    gc+=("${GC_MS[$label.$round]}"); cpu+=("${CPU_US[$label.$round]}")
    per_round+="${per_round:+, }$(field "${LINE[$label.$round]}" p99_ms)"
    errors=$(( errors + $(field "${LINE[$label.$round]}" errors) ))
  done
  echo "| $label | \`${FLAGS[$label]}\` | $(bench_median "${p99[@]}") / $(worst "${p99[@]}") | $(bench_median "${p999[@]}") / $(worst "${p999[@]}") | $per_round | $(bench_median "${gc[@]}") | $(bench_median "${cpu[@]}") | $errors |"
  SUMMARY+=("${label}_p99_added_ms=$(bench_median "${p99[@]}")" "${label}_p99_added_worst_ms=$(worst "${p99[@]}")"
            "${label}_p999_added_ms=$(bench_median "${p999[@]}")" "${label}_p999_added_worst_ms=$(worst "${p999[@]}")"
            "${label}_gc_ms=$(bench_median "${gc[@]}")" "${label}_cpu_us_per_request=$(bench_median "${cpu[@]}")" "${label}_errors=$errors")
done
direct_p99=(); for round in $(seq 1 "$ROUNDS"); do direct_p99+=("$(field "${LINE[direct.$round]}" p99_ms)"); done
echo
echo "Direct p99 per round: $(printf '%s, ' "${direct_p99[@]}" | sed 's/, $//') ms."

if [[ -n "$SUMMARY_FILE" ]]; then
  { echo "rate=$RATE"; echo "rounds=$ROUNDS"; echo "duration_s=$DURATION"; echo "heap=$HEAP"; echo "collectors=${LABELS[*]}"
    echo "direct_p99_ms=$(bench_median "${direct_p99[@]}")"; printf '%s\n' "${SUMMARY[@]}"; } >"$SUMMARY_FILE"
fi
