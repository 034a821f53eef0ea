#!/usr/bin/env bash
# gRPC benchmark (issue 26, target 4): unary and server-streaming calls from a grpc-java load client
# (src/GrpcLoad.java: closed loop, N channels x M calls in flight, latency of whole calls in an
# HdrHistogram) through Zoneplane's data plane and through nginx `grpc_pass` (h2c listener, the same
# identity headers as Zoneplane sets) to the same grpc-java origin (src/GrpcOrigin.java). The node is
# told the zone's origin speaks gRPC by the zone setting `grpc=on` in its snapshot file. Targets
# alternate within each round (order reversed every other round); the end prints, per call kind, the
# median and worst round of Zoneplane / nginx throughput and of their p99s. Loopback only; every
# process it starts is stopped by PID on exit. Not part of the test suite.
#
#   bench/grpc/run.sh [--duration S] [--warmup S] [--jit-warmup S] [--rounds N] [--connections N]
#                     [--calls N] [--payload BYTES] [--stream-messages N] [--summary-file F]
#
# Defaults: 10 s measured after 5 s unrecorded (a fresh client JVM each run) per target, kind and
# round; 15 s of unmeasured load on the node first; 3 rounds; 8 connections x 10 calls in flight;
# 64-byte messages; 10 messages per streaming call. --summary-file F writes key=value lines (zoneplane_unary_calls_per_s=..., ...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DURATION=10
WARMUP=5
JIT_WARMUP=15
ROUNDS=3
CONNECTIONS=8
CALLS=10
PAYLOAD=64
STREAM_MESSAGES=10
SUMMARY_FILE=""
HOST_HEADER="grpc.bench.test"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jit-warmup) JIT_WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --calls) CALLS="$2"; shift 2 ;;
    --payload) PAYLOAD="$2"; shift 2 ;;
    --stream-messages) STREAM_MESSAGES="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$DURATION" "$WARMUP" "$JIT_WARMUP" "$ROUNDS" "$CONNECTIONS" "$CALLS" "$PAYLOAD" "$STREAM_MESSAGES"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 120 && WARMUP <= 30 && JIT_WARMUP <= 120 && ROUNDS >= 1 && ROUNDS <= 9 \
   && CONNECTIONS >= 1 && CONNECTIONS <= 256 && CALLS >= 1 && CALLS <= 1000 && PAYLOAD >= 1 && PAYLOAD <= 1048576 \
   && STREAM_MESSAGES >= 1 && STREAM_MESSAGES <= 255 )) \
  || { echo "need duration 1..120, warm-up <= 30, jit-warmup <= 120, rounds 1..9, connections 1..256, calls 1..1000, payload 1..1048576, stream-messages 1..255" >&2; exit 2; }
bench_install_missing nginx=nginx-light curl=curl
command -v java >/dev/null || bench_fail "java (17) is needed"

CP="$(bench_compile grpc test)"   # grpc-java is a test dependency of the data plane
WORK="$(mktemp -d /tmp/zoneplane-grpc.XXXXXX)"
chmod 755 "$WORK"
trap 'bench_stop_all; [[ -n "${BENCH_KEEP:-}" ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# --- the grpc-java origin ------------------------------------------------------------------------------
java -Xmx256m -cp "$CP" GrpcOrigin >"$WORK/origin.out" 2>"$WORK/origin.err" &
ORIGIN_PID=$!
bench_track "$ORIGIN_PID"
for _ in $(seq 1 300); do
  grep -q '^ORIGIN ' "$WORK/origin.out" && break
  kill -0 "$ORIGIN_PID" 2>/dev/null || { cat "$WORK/origin.err" >&2; bench_fail "the gRPC origin exited"; }
  sleep 0.1
done
ORIGIN_PORT="$(awk '/^ORIGIN / { print $2 }' "$WORK/origin.out")"
[[ -n "$ORIGIN_PORT" ]] || bench_fail "the gRPC origin did not start within 30 s"

# --- nginx grpc_pass, 1 worker, pooled origin connections, the node's identity headers -------------------
NGINX_PORT="$(bench_free_port)"
mkdir -p "$WORK/nginx"
bench_nginx_geo_ranges "$WORK/nginx/geo-ranges.conf"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  upstream grpc_origin {
    server 127.0.0.1:$ORIGIN_PORT;
    keepalive 128;
  }
  geo \$remote_addr \$cf_ipcountry { ranges; default XX; include $WORK/nginx/geo-ranges.conf; }
  map \$request_id \$cf_ray { "~^(?<ray>.{16})" "\${ray}-nginx"; }
  map \$http_cdn_loop \$cdn_loop { "" "zoneplane"; default "\$http_cdn_loop, zoneplane"; }
  server {
    listen 127.0.0.1:$NGINX_PORT http2 reuseport backlog=4096;
    http2_max_concurrent_streams 1000;
    location / {
      grpc_pass grpc://grpc_origin;
      grpc_set_header CF-Connecting-IP \$remote_addr;
      grpc_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      grpc_set_header X-Forwarded-Proto \$scheme;
      grpc_set_header CF-Visitor '{"scheme":"\$scheme"}';
      grpc_set_header CF-Ray \$cf_ray;
      grpc_set_header CF-IPCountry \$cf_ipcountry;
      grpc_set_header True-Client-IP \$remote_addr;
      grpc_set_header CDN-Loop \$cdn_loop;
      add_header CF-Ray \$cf_ray always;
    }
  }
}
CONF
bench_start_nginx "$WORK/nginx" "$NGINX_PORT"
NGINX_PID="$BENCH_NGINX_PID"

# --- the node: the zone's origin is the gRPC server, grpc=on (bench_zone_snapshot turns every setting on)
ZP_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
bench_zone_snapshot "$WORK/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"
bench_start_node "$WORK/zoneplane" "$WORK/snapshot.json" "$ZP_PORT" "$ZP_MGMT_PORT"
ZP_PID="$BENCH_NODE_PID"

port_of() { case "$1" in nginx) echo "$NGINX_PORT" ;; zoneplane) echo "$ZP_PORT" ;; esac; }
pids_of() { case "$1" in nginx) bench_process_tree "$NGINX_PID" ;; zoneplane) echo "$ZP_PID" ;; esac; }

# load TARGET KIND SECONDS WARMUP OUT [CONNECTIONS CALLS]: one run of the load client (the bench's
# connections and calls in flight unless given); fails the bench if it printed no result.
load() {
  java -Xmx512m -cp "$CP" GrpcLoad "$(port_of "$1")" "$HOST_HEADER" "$2" "${6:-$CONNECTIONS}" "${7:-$CALLS}" "$3" "$4" \
    "$PAYLOAD" "$STREAM_MESSAGES" >"$5" 2>"$5.err" &
  local pid=$!
  bench_track "$pid"
  wait "$pid" || true
  grep -q '^RESULT ' "$5" || { tail -n 20 "$5.err" >&2; bench_fail "the load client printed no result against $1 ($2)"; }
}
field() { tr ' ' '\n' <"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

echo "## gRPC calls answered (not measured)"
echo
for target in nginx zoneplane; do
  for kind in unary stream; do
    # one call at a time (after GrpcLoad's first call per channel, which may take seconds on a cold, busy machine)
    load "$target" "$kind" 2 0 "$WORK/check-$target-$kind.txt" 1 1
    printf -- '- %-10s %-6s %s calls, %s errors\n' "$target" "$kind" "$(field "$WORK/check-$target-$kind.txt" calls)" "$(field "$WORK/check-$target-$kind.txt" errors)"
    (( $(field "$WORK/check-$target-$kind.txt" calls) > 0 )) || bench_fail "no $kind call succeeded through $target: $(head -n 3 "$WORK/check-$target-$kind.txt.err")"
  done
done
echo
if (( JIT_WARMUP > 0 )); then
  echo "JIT warm-up of the node: ${JIT_WARMUP}s of unary and streaming calls, not measured" >&2
  load zoneplane unary "$(( (JIT_WARMUP + 1) / 2 ))" 0 "$WORK/jit-unary.txt"
  load zoneplane stream "$(( (JIT_WARMUP + 1) / 2 ))" 0 "$WORK/jit-stream.txt"
fi

declare -A CPS MPS P99 P50 ERRORS CPU_US
# measure TARGET.KIND ROUND
measure() {
  local target="${1%%.*}" kind="${1#*.}" round="$2" out="$WORK/load-$1-$2.txt" pids before after key="$1.$2"
  pids="$(pids_of "$target")"
  before="$(bench_cpu_ticks $pids)"
  load "$target" "$kind" "$DURATION" "$WARMUP" "$out"
  after="$(bench_cpu_ticks $pids)"
  CPS[$key]="$(field "$out" calls_per_s)"; MPS[$key]="$(field "$out" messages_per_s)"
  P50[$key]="$(field "$out" p50_ms)"; P99[$key]="$(field "$out" p99_ms)"; ERRORS[$key]="$(field "$out" errors)"
  # over the warm-up and the measured window: calls in both at about the measured rate
  CPU_US[$key]="$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v c="${CPS[$key]}" -v d=$(( DURATION + WARMUP )) \
      'BEGIN { if (c > 0) printf "%.1f", t * 1e6 / hz / (c * d); else print "n/a" }')"
  echo "round $round $target $kind: ${CPS[$key]} calls/s, p99 ${P99[$key]} ms, ${CPU_US[$key]} µs CPU/call, errors ${ERRORS[$key]}" >&2
}
echo "gRPC load: $CONNECTIONS connections x $CALLS calls in flight, ${PAYLOAD}-byte messages, $STREAM_MESSAGES per stream, ${WARMUP}s + ${DURATION}s per target, $ROUNDS rounds" >&2
bench_alternate "$ROUNDS" measure nginx.unary zoneplane.unary nginx.stream zoneplane.stream

# --- report --------------------------------------------------------------------------------------------
echo "## gRPC through Zoneplane vs nginx grpc_pass ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| round | calls | Zoneplane calls/s | nginx calls/s | Zoneplane / nginx | p50 ms (Z / n) | p99 ms (Z / n) | p99 Z / n | CPU µs / call (Z / n) | errors (Z / n) |"
echo "|---:|---|---:|---:|---:|---|---|---:|---|---|"
declare -A RATIOS P99_RATIOS
total_errors=0
for round in $(seq 1 "$ROUNDS"); do
  for kind in unary stream; do
    z="zoneplane.$kind.$round"; n="nginx.$kind.$round"
    ratio="$(bench_ratio "${CPS[$z]}" "${CPS[$n]}")"; p99_ratio="$(bench_ratio "${P99[$z]}" "${P99[$n]}")"
    RATIOS[$kind]+="$ratio "; P99_RATIOS[$kind]+="$p99_ratio "
    total_errors=$(( total_errors + ${ERRORS[$z]:-0} + ${ERRORS[$n]:-0} ))
    printf '| %s | %s | %.0f | %.0f | %s | %s / %s | %s / %s | %s | %s / %s | %s / %s |\n' "$round" "$kind" "${CPS[$z]}" "${CPS[$n]}" \
      "$ratio" "${P50[$z]}" "${P50[$n]}" "${P99[$z]}" "${P99[$n]}" "$p99_ratio" "${CPU_US[$z]}" "${CPU_US[$n]}" "${ERRORS[$z]}" "${ERRORS[$n]}"
  done
done
echo
for kind in unary stream; do
  # shellcheck disable=SC2086
  worst_p99="$(printf '%s\n' ${P99_RATIOS[$kind]} | sort -g | tail -n 1)"
  # shellcheck disable=SC2086
  echo "$kind: Zoneplane / nginx calls per second median **$(bench_median ${RATIOS[$kind]})×**, worst round $(bench_min ${RATIOS[$kind]})× (target ≥ 1.0); p99 Zoneplane / nginx median $(bench_median ${P99_RATIOS[$kind]}), worst $worst_p99 (target ≤ 1.0)."
done
(( total_errors == 0 )) || echo "WARNING: $total_errors calls failed: those rounds are not comparable."

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "rounds=$ROUNDS"; echo "duration_s=$DURATION"; echo "connections=$CONNECTIONS"; echo "calls_in_flight=$(( CONNECTIONS * CALLS ))"
    echo "errors=$total_errors"
    for kind in unary stream; do
      # shellcheck disable=SC2086
      echo "${kind}_ratio_median=$(bench_median ${RATIOS[$kind]})"
      # shellcheck disable=SC2086
      echo "${kind}_ratio_worst=$(bench_min ${RATIOS[$kind]})"
      # shellcheck disable=SC2086
      echo "${kind}_p99_ratio_median=$(bench_median ${P99_RATIOS[$kind]})"
      # shellcheck disable=SC2086
      echo "${kind}_p99_ratio_worst=$(printf '%s\n' ${P99_RATIOS[$kind]} | sort -g | tail -n 1)"
      for side in zoneplane nginx; do
        cps=(); p99=(); cpu=()
        for round in $(seq 1 "$ROUNDS"); do
          cps+=("${CPS[$side.$kind.$round]}"); p99+=("${P99[$side.$kind.$round]}"); cpu+=("${CPU_US[$side.$kind.$round]}")
        done
        echo "${side}_${kind}_calls_per_s=$(bench_median "${cps[@]}")"
        echo "${side}_${kind}_p99_ms=$(bench_median "${p99[@]}")"
        echo "${side}_${kind}_cpu_us_per_call=$(bench_median "${cpu[@]}")"
      done
    done
  } >"$SUMMARY_FILE"
fi
