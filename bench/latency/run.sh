#!/usr/bin/env bash
# Added latency at half of peak load (SPEC §8: p99 added vs direct-to-origin <= 1 ms at half of
# peak). A constant-rate load (src/FixedRateLoad.java, wrk2-style, latency from the scheduled send
# time, HdrHistogram) runs at the same rate against the origin directly and through Zoneplane's data
# plane; the report is the p99 difference. Loopback only; not part of the test suite.
#
#   bench/latency/run.sh [--rate RPS] [--peak RPS] [--duration S] [--warmup S] [--jit-warmup S]
#                        [--connections N] [--summary-file F]
#
# --rate sets the constant rate; else --peak (Zoneplane's closed-loop peak, e.g. from bench/proxy)
# halved; else the peak is measured here first with wrk (5 s). Before that, --jit-warmup seconds of
# closed-loop wrk load warm the node's JIT. Defaults: 15 s, 3 s constant-rate warm-up, 5 s JIT
# warm-up, 32 connections.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RATE=""
PEAK=""
DURATION=15
WARMUP=3
JIT_WARMUP=5
CONNECTIONS=32
SUMMARY_FILE=""
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
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$DURATION" "$WARMUP" "$JIT_WARMUP" "$CONNECTIONS" ${RATE:+"${RATE%.*}"} ${PEAK:+"${PEAK%.*}"}; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole and positive, got '$value'" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 120 && WARMUP <= 60 && JIT_WARMUP >= 1 && JIT_WARMUP <= 60 && CONNECTIONS >= 1 && CONNECTIONS <= 1024 )) \
  || { echo "need duration 1..120, warm-up <= 60, connections 1..1024" >&2; exit 2; }
[[ -f "$JAR" ]] || bench_fail "data-plane jar not found at $JAR; build it: mvn -B -q -DskipTests package"
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || bench_fail "nginx is needed for the origin (apt-get install nginx-light)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

CP="$(bench_compile latency)"
WORK="$(mktemp -d /tmp/zoneplane-latency.XXXXXX)"
chmod 755 "$WORK"
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
ZP_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
NGINX_PORT="$(bench_free_port)"

bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$NGINX"

# nginx as a reverse proxy doing the same header work (bench_nginx_proxy, as bench/proxy): the
# baseline that tells how much any proxy adds on this machine at this rate.
bench_nginx_proxy "$WORK/proxy" "$NGINX_PORT" "$ORIGIN_PORT" "$HOST_HEADER"
"$NGINX" -c "$WORK/proxy/nginx.conf" -p "$WORK/proxy" -e "$WORK/proxy/error.log" >"$WORK/proxy/stdout.log" 2>&1 &
bench_track $!
bench_wait_http "http://127.0.0.1:$NGINX_PORT/" "$!" "$WORK/proxy/error.log" 10 "$HOST_HEADER"

mkdir -p "$WORK/zoneplane"
cat >"$WORK/zoneplane/snapshot.json" <<EOF
{"revision":1,"zones":[{"id":"0b5e11c0ffee0b5e11c0ffee0b5e11c0","name":"$HOST_HEADER","plan":"enterprise","origin":"http://127.0.0.1:$ORIGIN_PORT","paused":false,"settings":{"websockets":"on","ip_geolocation":"on","ipv6":"on","pseudo_ipv4":"add_header","opportunistic_onion":"on","grpc":"on","true_client_ip_header":"on","max_upload":500}}]}
EOF
ZONEPLANE_SNAPSHOT_FILE="$WORK/zoneplane/snapshot.json" ZONEPLANE_HTTP_PORT="$ZP_PORT" \
ZONEPLANE_MANAGEMENT_PORT="$ZP_MGMT_PORT" ZONEPLANE_CACHE_DIR="$WORK/zoneplane/cache" \
  java ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/zoneplane/stdout.log" 2>&1 &
bench_track $!
ZP_PID=$!
bench_wait_http "http://127.0.0.1:$ZP_MGMT_PORT/health/readiness" "$ZP_PID" "$WORK/zoneplane/stdout.log" 60
bench_wait_http "http://127.0.0.1:$ZP_PORT/" "$ZP_PID" "$WORK/zoneplane/stdout.log" 10 "$HOST_HEADER"

# A fresh node runs interpreted at first: warm its JIT with closed-loop load before any measurement,
# as bench/proxy does, so the constant-rate run measures the compiled proxy.
if command -v wrk >/dev/null; then
  wrk -t2 -c64 -d"${JIT_WARMUP}s" -H "Host: $HOST_HEADER" "http://127.0.0.1:$ZP_PORT/" >/dev/null
else
  echo "wrk not found: no JIT warm-up beyond the constant-rate warm-up" >&2
fi
if [[ -z "$RATE" ]]; then
  if [[ -z "$PEAK" ]]; then
    command -v wrk >/dev/null || bench_fail "wrk is needed to measure the peak (or pass --peak / --rate)"
    PEAK="$(wrk -t2 -c64 -d5s -H "Host: $HOST_HEADER" "http://127.0.0.1:$ZP_PORT/" | awk '/^Requests\/sec:/ {print $2}')"
    echo "measured Zoneplane closed-loop peak: $PEAK rps" >&2
  fi
  RATE="$(awk -v p="$PEAK" 'BEGIN { printf "%d", p / 2 }')"
fi
(( RATE >= 1 )) || bench_fail "the rate must be at least 1 rps (peak was '$PEAK')"

declare -A LINE
for target in "direct|$ORIGIN_PORT" "nginx|$NGINX_PORT" "zoneplane|$ZP_PORT"; do
  name="${target%%|*}"; port="${target##*|}"
  echo "constant rate $RATE rps against $name: ${WARMUP}s warm-up + ${DURATION}s, $CONNECTIONS connections" >&2
  LINE[$name]="$(java -Xmx256m -cp "$CP" FixedRateLoad "$port" "$RATE" "$DURATION" "$WARMUP" "$CONNECTIONS" "$HOST_HEADER")"
done

field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }

echo "## Latency at a constant $RATE rps (half of peak${PEAK:+ $PEAK rps}), ${DURATION}s, $CONNECTIONS connections"
echo
echo "| target | achieved rps | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for name in direct nginx zoneplane; do
  l="${LINE[$name]}"
  echo "| $name | $(field "$l" achieved_rps) | $(field "$l" p50_ms) | $(field "$l" p90_ms) | $(field "$l" p99_ms) | $(field "$l" p999_ms) | $(field "$l" max_ms) | $(field "$l" errors) |"
done
ADDED="$(awk -v a="$(field "${LINE[zoneplane]}" p99_ms)" -v b="$(field "${LINE[direct]}" p99_ms)" 'BEGIN { printf "%.3f", a - b }')"
NGINX_ADDED="$(awk -v a="$(field "${LINE[nginx]}" p99_ms)" -v b="$(field "${LINE[direct]}" p99_ms)" 'BEGIN { printf "%.3f", a - b }')"
echo
echo "p99 added by Zoneplane at half of peak: $ADDED ms (target <= 1 ms); by nginx at the same rate: $NGINX_ADDED ms."

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "rate=$RATE"
    echo "peak=${PEAK:-}"
    echo "duration_s=$DURATION"
    for name in direct nginx zoneplane; do
      for key in achieved_rps p50_ms p90_ms p99_ms p999_ms max_ms errors; do
        echo "${name}_${key}=$(field "${LINE[$name]}" "$key")"
      done
    done
    echo "p99_added_ms=$ADDED"
    echo "nginx_p99_added_ms=$NGINX_ADDED"
  } >"$SUMMARY_FILE"
fi
