#!/usr/bin/env bash
# WebSocket message round trips (issue 26, target 5): 1,000 WebSockets each sending a text message,
# waiting for its echo and sending the next (src/WsRoundTrips.java, closed loop, HdrHistogram of
# the round-trip times), through Zoneplane's data plane and through nginx's WebSocket proxy (the
# Cloudflare-like proxy of bench/lib/common.sh, Upgrade passed on) to the same echo origin
# (src/WsBench.java origin). Targets alternate within each round (order reversed every other round),
# each round a fresh client JVM; the end prints the median and worst round of Zoneplane / nginx round
# trips per second and of their p99s. Loopback only; every process it starts is stopped by PID on
# exit. Not part of the test suite. (bench/websockets/run.sh is the 10k-held bench.)
#
#   bench/websockets/roundtrips.sh [--connections N] [--duration S] [--warmup S] [--jit-warmup S]
#                                  [--rounds N] [--payload BYTES] [--summary-file F]
#
# Defaults: 1000 connections, 10 s measured after 3 s unrecorded (from the last WebSocket opening)
# per target and round, 15 s of unmeasured round trips through the node first, 3 rounds, 32-byte
# messages. --summary-file F writes key=value lines (zoneplane_round_trips_per_s=..., ratio_median=...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CONNECTIONS=1000
DURATION=10
WARMUP=3
JIT_WARMUP=15
ROUNDS=3
PAYLOAD=32
SUMMARY_FILE=""
HOST_HEADER="ws.bench.test"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jit-warmup) JIT_WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --payload) PAYLOAD="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$CONNECTIONS" "$DURATION" "$WARMUP" "$JIT_WARMUP" "$ROUNDS" "$PAYLOAD"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( CONNECTIONS >= 1 && CONNECTIONS <= 5000 && DURATION >= 1 && DURATION <= 120 && WARMUP <= 60 && JIT_WARMUP <= 120 \
   && ROUNDS >= 1 && ROUNDS <= 9 && PAYLOAD >= 1 && PAYLOAD <= 65536 )) \
  || { echo "need connections 1..5000, duration 1..120, warm-up <= 60, jit-warmup <= 120, rounds 1..9, payload 1..65536" >&2; exit 2; }
bench_install_missing nginx=nginx-light curl=curl
(( $(ulimit -n) > 2 * CONNECTIONS + 200 )) || bench_fail "the open-files limit $(ulimit -n) cannot hold $CONNECTIONS WebSockets (2 descriptors each in a proxy)"

CP="$(bench_compile websockets)"
WORK="$(mktemp -d /tmp/zoneplane-ws-rtt.XXXXXX)"
chmod 755 "$WORK"
trap 'bench_stop_all; [[ -n "${BENCH_KEEP:-}" ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# --- echo origin -----------------------------------------------------------------------------------------
java -Xmx512m -cp "$CP" WsBench origin 127.0.0.1 >"$WORK/origin.out" 2>"$WORK/origin.err" &
ORIGIN_PID=$!
bench_track "$ORIGIN_PID"
for _ in $(seq 1 300); do
  grep -q '^ORIGIN ' "$WORK/origin.out" && break
  kill -0 "$ORIGIN_PID" 2>/dev/null || { cat "$WORK/origin.err" >&2; bench_fail "the echo origin exited"; }
  sleep 0.1
done
ORIGIN_PORT="$(awk '/^ORIGIN / { print $3 }' "$WORK/origin.out")"
[[ -n "$ORIGIN_PORT" ]] || bench_fail "the echo origin did not start within 30 s"

# --- nginx's WebSocket proxy and the node, both to that origin ---------------------------------------------
NGINX_PORT="$(bench_free_port)"
bench_nginx_proxy "$WORK/nginx" "$NGINX_PORT" "$ORIGIN_PORT" "$HOST_HEADER"
bench_start_nginx "$WORK/nginx" "$NGINX_PORT"
NGINX_PID="$BENCH_NGINX_PID"
ZP_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
bench_zone_snapshot "$WORK/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"   # websockets=on among all settings
bench_start_node "$WORK/zoneplane" "$WORK/snapshot.json" "$ZP_PORT" "$ZP_MGMT_PORT"
ZP_PID="$BENCH_NODE_PID"

port_of() { case "$1" in nginx) echo "$NGINX_PORT" ;; zoneplane) echo "$ZP_PORT" ;; esac; }
pids_of() { case "$1" in nginx) bench_process_tree "$NGINX_PID" ;; zoneplane) echo "$ZP_PID" ;; esac; }
field() { tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

# clients TARGET CONNECTIONS SECONDS WARMUP OUT: one client JVM; fails the bench if it printed no result.
clients() {
  java -Xmx1g -cp "$CP" WsRoundTrips "$(port_of "$1")" "$HOST_HEADER" "$2" "$3" "$4" "$PAYLOAD" >"$5" 2>"$5.err" &
  local pid=$!
  bench_track "$pid"
  wait "$pid" || true
  grep -q '^RESULT ' "$5" || { tail -n 20 "$5.err" >&2; bench_fail "the round-trip clients printed no result against $1"; }
}

if (( JIT_WARMUP > 0 )); then
  echo "JIT warm-up of the node: ${JIT_WARMUP}s of round trips on $CONNECTIONS WebSockets, not measured" >&2
  clients zoneplane "$CONNECTIONS" "$JIT_WARMUP" 0 "$WORK/jit.txt"
fi

declare -A RTS P50 P99 P999 OPENED CLOSED CPU_US
# measure TARGET ROUND
measure() {
  local target="$1" round="$2" out="$WORK/rtt-$1-$2.txt" key="$1.$2" pids before after
  pids="$(pids_of "$target")"
  before="$(bench_cpu_ticks $pids)"
  clients "$target" "$CONNECTIONS" "$DURATION" "$WARMUP" "$out"
  after="$(bench_cpu_ticks $pids)"
  RTS[$key]="$(field "$out" round_trips_per_s)"; P50[$key]="$(field "$out" p50_ms)"; P99[$key]="$(field "$out" p99_ms)"
  P999[$key]="$(field "$out" p999_ms)"; OPENED[$key]="$(field "$out" opened)"; CLOSED[$key]="$(field "$out" closed_early)"
  # the CPU window covers the ramp, warm-up and close too: an upper bound of the CPU per round trip
  CPU_US[$key]="$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$(field "$out" round_trips)" \
      -v d="$DURATION" -v w="$WARMUP" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / (n * (d + w) / d); else print "n/a" }')"
  echo "round $round $target: ${RTS[$key]} round trips/s, p99 ${P99[$key]} ms, opened ${OPENED[$key]}, closed early ${CLOSED[$key]}" >&2
}
echo "WebSocket round trips: $CONNECTIONS connections, ${PAYLOAD}-byte messages, ${WARMUP}s + ${DURATION}s per target, $ROUNDS rounds" >&2
bench_alternate "$ROUNDS" measure nginx zoneplane

# --- report --------------------------------------------------------------------------------------------
echo "## WebSocket round trips through Zoneplane vs nginx ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| round | Zoneplane round trips/s | nginx round trips/s | Zoneplane / nginx | p50 ms (Z / n) | p99 ms (Z / n) | p99.9 ms (Z / n) | CPU µs / round trip (Z / n) | opened (Z / n) | closed early (Z / n) |"
echo "|---:|---:|---:|---:|---|---|---|---|---|---|"
RATIOS=(); P99_RATIOS=(); problems=0
for round in $(seq 1 "$ROUNDS"); do
  z="zoneplane.$round"; n="nginx.$round"
  RATIOS+=("$(bench_ratio "${RTS[$z]}" "${RTS[$n]}")"); P99_RATIOS+=("$(bench_ratio "${P99[$z]}" "${P99[$n]}")")
  (( ${OPENED[$z]} == CONNECTIONS && ${OPENED[$n]} == CONNECTIONS && ${CLOSED[$z]} + ${CLOSED[$n]} == 0 )) || problems=$(( problems + 1 ))
  printf '| %s | %.0f | %.0f | %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s | %s / %s |\n' "$round" "${RTS[$z]}" "${RTS[$n]}" \
    "${RATIOS[-1]}" "${P50[$z]}" "${P50[$n]}" "${P99[$z]}" "${P99[$n]}" "${P999[$z]}" "${P999[$n]}" "${CPU_US[$z]}" "${CPU_US[$n]}" \
    "${OPENED[$z]}" "${OPENED[$n]}" "${CLOSED[$z]}" "${CLOSED[$n]}"
done
echo
WORST_P99="$(printf '%s\n' "${P99_RATIOS[@]}" | sort -g | tail -n 1)"
echo "Zoneplane / nginx round trips per second median **$(bench_median "${RATIOS[@]}")×**, worst round $(bench_min "${RATIOS[@]}")× (target ≥ 1.0); p99 Zoneplane / nginx median $(bench_median "${P99_RATIOS[@]}"), worst $WORST_P99 (target ≤ 1.0)."
(( problems == 0 )) || echo "WARNING: in $problems round(s) not every WebSocket opened or one closed early: not comparable."

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "rounds=$ROUNDS"; echo "duration_s=$DURATION"; echo "connections=$CONNECTIONS"; echo "problem_rounds=$problems"
    echo "ratio_median=$(bench_median "${RATIOS[@]}")"; echo "ratio_worst=$(bench_min "${RATIOS[@]}")"
    echo "p99_ratio_median=$(bench_median "${P99_RATIOS[@]}")"; echo "p99_ratio_worst=$WORST_P99"
    for side in zoneplane nginx; do
      rts=(); p99=(); cpu=()
      for round in $(seq 1 "$ROUNDS"); do rts+=("${RTS[$side.$round]}"); p99+=("${P99[$side.$round]}"); cpu+=("${CPU_US[$side.$round]}"); done
      echo "${side}_round_trips_per_s=$(bench_median "${rts[@]}")"
      echo "${side}_p99_ms=$(bench_median "${p99[@]}")"
      echo "${side}_cpu_us_per_round_trip=$(bench_median "${cpu[@]}")"
    done
  } >"$SUMMARY_FILE"
fi
