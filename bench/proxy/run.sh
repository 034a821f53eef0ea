#!/usr/bin/env bash
# Proxy benchmark: direct-to-origin vs nginx reverse proxy vs Zoneplane's data plane, in one run, on
# loopback only. See bench/proxy/README.md. Not part of the test suite.
#
#   bench/proxy/run.sh [--duration S] [--warmup S] [--threads N] [--connections N]
#                      [--jar PATH] [--skip-zoneplane] [--reactor-path] [--accounting-rounds N]
#                      [--keep] [--summary-file F]
#
# --reactor-path adds a fourth target, zoneplane-reactor: a second node with ZONEPLANE_HTTP1_FAST_PATH=false
# (every request through Reactor Netty's handlers, as before 2026-12), to compare both paths in one run.
#
# --accounting-rounds N adds a node with usage accounting off (ZONEPLANE_USAGE_ENABLED=false) beside the
# default one (accounting on) and, after the targets above, measures the two in N alternating rounds
# (on/off, then off/on, ...) of --duration each, printing the throughput and CPU-per-request ratios.
#
# --summary-file F also writes the figures as key=value lines (e.g. zoneplane_rps=..., nginx_p99_ms=...)
# for bench/run-all to read.
#
# Everything it starts (two nginx masters and their workers, the data-plane JVM) is stopped on exit,
# by PID, whatever the outcome.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$REPO_ROOT/bench/lib/common.sh"
DURATION="${BENCH_DURATION:-10}"       # seconds of measurement per target
WARMUP="${BENCH_WARMUP:-3}"            # seconds of unmeasured load per target first (the JVM's JIT needs it)
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
JAR="${BENCH_JAR:-$REPO_ROOT/data-plane/target/data-plane-exec.jar}"
SKIP_ZONEPLANE=false
REACTOR_PATH=false
ACCOUNTING_ROUNDS=0
KEEP=false
SUMMARY_FILE=""
HOST_HEADER="bench.test"

usage() {
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --skip-zoneplane) SKIP_ZONEPLANE=true; shift ;;
    --reactor-path) REACTOR_PATH=true; shift ;;
    --accounting-rounds) ACCOUNTING_ROUNDS="$2"; shift 2 ;;
    --keep) KEEP=true; shift ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done

for value in "$DURATION" "$WARMUP" "$THREADS" "$CONNECTIONS" "$ACCOUNTING_ROUNDS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "durations, threads and connections must be whole numbers, got '$value'" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 120 )) || { echo "--duration must be 1..120 seconds" >&2; exit 2; }
(( WARMUP <= 60 )) || { echo "--warmup must be at most 60 seconds" >&2; exit 2; }
(( ACCOUNTING_ROUNDS <= 20 )) || { echo "--accounting-rounds must be at most 20" >&2; exit 2; }
(( THREADS >= 1 && CONNECTIONS >= THREADS )) || { echo "need threads >= 1 and connections >= threads" >&2; exit 2; }

fail() { echo "run.sh: $*" >&2; exit 1; }

# --- the data-plane jar is checked first: no point installing anything if it cannot run -------------
if [[ "$SKIP_ZONEPLANE" == false ]]; then
  [[ -f "$JAR" ]] || fail "data-plane jar not found at $JAR.
  Build it first:   mvn -B -q -pl data-plane -am package -DskipTests
  or pass --jar PATH, or --skip-zoneplane to measure only direct and nginx."
  command -v java >/dev/null || fail "java not found on PATH (Java 17 is needed for the data plane)"
fi

# --- tools -----------------------------------------------------------------------------------------
install_missing() {
  local missing=()
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v curl >/dev/null || missing+=(curl)
  [[ ${#missing[@]} -eq 0 ]] && return
  [[ "$(id -u)" == 0 ]] || fail "missing ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  echo "installing ${missing[*]} ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
command -v python3 >/dev/null || fail "python3 is needed to pick free ports"

# --- bookkeeping: every process we start is recorded and stopped on exit ----------------------------
WORK="$(mktemp -d /tmp/zoneplane-bench.XXXXXX)"
chmod 755 "$WORK"
STARTED_PIDS=()

cleanup() {
  local pid
  bench_stop_all
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    # bounded wait, then force
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ "$KEEP" == true ]]; then
    echo "kept work directory $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
NGINX_PORT="$(bench_free_port)"
ZP_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
ZPR_PORT="$(bench_free_port)"
ZPR_MGMT_PORT="$(bench_free_port)"
ZPO_PORT="$(bench_free_port)"
ZPO_MGMT_PORT="$(bench_free_port)"

# --- origin: nginx answering a fixed small body that shows the headers it received ----------------
bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$NGINX"

# --- nginx as the Cloudflare-like reverse proxy, 1 worker, the same header work as Zoneplane -------
bench_nginx_proxy "$WORK/proxy" "$NGINX_PORT" "$ORIGIN_PORT" "$HOST_HEADER"
GEO_SOURCE="$BENCH_GEO_SOURCE"

"$NGINX" -t -q -c "$WORK/proxy/nginx.conf" -p "$WORK/proxy" -e "$WORK/proxy/error.log" || fail "proxy nginx config rejected"


"$NGINX" -c "$WORK/proxy/nginx.conf" -p "$WORK/proxy" -e "$WORK/proxy/error.log" >"$WORK/proxy/stdout.log" 2>&1 &
STARTED_PIDS+=($!)
NGINX_PROXY_PID=$!
bench_wait_http "http://127.0.0.1:$NGINX_PORT/" "$!" "$WORK/proxy/error.log" 20 "$HOST_HEADER"

# --- Zoneplane's data plane from a static snapshot -------------------------------------------------
if [[ "$SKIP_ZONEPLANE" == false ]]; then
  mkdir -p "$WORK/zoneplane"
  bench_zone_snapshot "$WORK/zoneplane/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"
  # start_node NAME PORT MANAGEMENT_PORT FAST_PATH [USAGE_ENABLED]: a node serving the snapshot; sets LAST_PID.
  start_node() {
    ZONEPLANE_SNAPSHOT_FILE="$WORK/zoneplane/snapshot.json" \
    ZONEPLANE_HTTP_PORT="$2" \
    ZONEPLANE_MANAGEMENT_PORT="$3" \
    ZONEPLANE_CACHE_DIR="$WORK/$1/cache" \
    ZONEPLANE_HTTP1_FAST_PATH="$4" \
    ZONEPLANE_USAGE_ENABLED="${5:-true}" \
      java ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/$1.log" 2>&1 &
    LAST_PID=$!
    STARTED_PIDS+=($LAST_PID)
    bench_wait_http "http://127.0.0.1:$3/health/readiness" "$LAST_PID" "$WORK/$1.log" 60 "$HOST_HEADER"
    bench_wait_http "http://127.0.0.1:$2/" "$LAST_PID" "$WORK/$1.log" 10 "$HOST_HEADER"
  }
  start_node zoneplane "$ZP_PORT" "$ZP_MGMT_PORT" true
  ZP_PID=$LAST_PID
  if [[ "$REACTOR_PATH" == true ]]; then
    start_node zoneplane-reactor "$ZPR_PORT" "$ZPR_MGMT_PORT" false
    ZPR_PID=$LAST_PID
  fi
  if (( ACCOUNTING_ROUNDS > 0 )); then
    start_node zoneplane-usage-off "$ZPO_PORT" "$ZPO_MGMT_PORT" true false
    ZPO_PID=$LAST_PID
  fi
fi

# --- what the origin receives through each path (a sanity check, not measured) ---------------------
echo "## What the origin receives"
echo
TARGETS=("direct|$ORIGIN_PORT" "nginx|$NGINX_PORT")
[[ "$SKIP_ZONEPLANE" == false ]] && TARGETS+=("zoneplane|$ZP_PORT")
[[ "$SKIP_ZONEPLANE" == false && "$REACTOR_PATH" == true ]] && TARGETS+=("zoneplane-reactor|$ZPR_PORT")
for target in "${TARGETS[@]}"; do
  name="${target%%|*}"; port="${target##*|}"
  printf -- '- %-18s %s\n' "$name:" "$(curl -sS --max-time 5 -H "Host: $HOST_HEADER" "http://127.0.0.1:$port/")"
done
echo
echo "CF-IPCountry table in nginx: $GEO_SOURCE"
echo

# --- load ------------------------------------------------------------------------------------------
# wrk prints latencies as 123.45us / 1.23ms / 1.02s: convert to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000;
    printf "%.3f", n }'
}

# CPU time (user + system, clock ticks) of the processes that are one target: the nginx proxy's master
# and workers, or the Zoneplane JVM; the direct target has none (the origin is the same for all).
target_pids() {
  case "$1" in
    nginx) bench_process_tree "$NGINX_PROXY_PID" ;;
    zoneplane) echo "${ZP_PID:-}" ;;
    zoneplane-reactor) echo "${ZPR_PID:-}" ;;
    accounting-on) echo "${ZP_PID:-}" ;;
    accounting-off) echo "${ZPO_PID:-}" ;;
  esac
}

declare -A RPS P50 P99 ERRORS CPU_US TICKS
run_wrk() {
  local name="$1" port="$2" out="$WORK/wrk-$1.txt" pids before after
  if (( WARMUP > 0 )); then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -H "Host: $HOST_HEADER" "http://127.0.0.1:$port/" >/dev/null
  fi
  pids="$(target_pids "$name")"
  before="$(bench_cpu_ticks $pids)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency -H "Host: $HOST_HEADER" \
    "http://127.0.0.1:$port/" >"$out"
  after="$(bench_cpu_ticks $pids)"
  TICKS[$name]=$(( after - before ))
  RPS[$name]="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  # CPU microseconds the proxy spent per request: steadier than rps on a shared machine.
  CPU_US[$name]="$( [[ -z "$pids" ]] && echo - || awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" \
    -v r="${RPS[$name]}" -v d="$DURATION" 'BEGIN { if (r > 0) printf "%.1f", t * 1e6 / hz / (r * d); else print "n/a" }')"
  P50[$name]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  P99[$name]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  local non2xx socket
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  socket="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
  ERRORS[$name]=$(( ${non2xx:-0} + ${socket:-0} ))
  echo "measured $name: ${RPS[$name]} rps" >&2
}

echo "running wrk: $THREADS threads, $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s per target, keep-alive GET / Host: $HOST_HEADER" >&2
for target in "${TARGETS[@]}"; do
  run_wrk "${target%%|*}" "${target##*|}"
done

# --- accounting on vs off: alternating rounds on the two nodes (both warm from their first round) -------
declare -A AB_REQUESTS AB_TICKS AB_ERRORS AB_CPU_ROUNDS AB_RPS_ROUNDS
AB_ROWS=()
if [[ "$SKIP_ZONEPLANE" == false ]] && (( ACCOUNTING_ROUNDS > 0 )); then
  echo "accounting on/off: $ACCOUNTING_ROUNDS alternating rounds of ${DURATION}s per side" >&2
  for side in on off; do AB_REQUESTS[$side]=0; AB_TICKS[$side]=0; AB_ERRORS[$side]=0; done
  # The off node has served nothing yet: as much unmeasured load as the on node had (its warm-up and its
  # measured run above), so that neither side's first round is still compiling.
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$(( WARMUP + DURATION ))s" -H "Host: $HOST_HEADER" "http://127.0.0.1:$ZPO_PORT/" >/dev/null
  for round in $(seq 1 "$ACCOUNTING_ROUNDS"); do
    order="on off"; (( round % 2 == 0 )) && order="off on"
    for side in $order; do
      port="$ZP_PORT"; [[ $side == off ]] && port="$ZPO_PORT"
      run_wrk "accounting-$side" "$port"
      AB_REQUESTS[$side]="$(awk -v a="${AB_REQUESTS[$side]}" -v r="${RPS[accounting-$side]}" -v d="$DURATION" 'BEGIN { printf "%.0f", a + r * d }')"
      AB_TICKS[$side]=$(( AB_TICKS[$side] + TICKS[accounting-$side] ))
      AB_ERRORS[$side]=$(( AB_ERRORS[$side] + ERRORS[accounting-$side] ))
      AB_CPU_ROUNDS[$side]+="${CPU_US[accounting-$side]} "; AB_RPS_ROUNDS[$side]+="${RPS[accounting-$side]} "
      AB_ROWS+=("| $round | $side | $(printf '%.0f' "${RPS[accounting-$side]}") | ${CPU_US[accounting-$side]} | ${P99[accounting-$side]} |")
    done
  done
fi

# --- report ----------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
added() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", a - b }'; }

echo "## Results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${DURATION}s per target)"
echo
echo "| target | rps | p50 ms | p99 ms | rps / nginx | p99 added vs direct, ms | proxy CPU µs / request | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for target in "${TARGETS[@]}"; do
  name="${target%%|*}"
  printf '| %s | %.0f | %s | %s | %s | %s | %s | %s |\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" \
    "$(ratio "${RPS[$name]}" "${RPS[nginx]}")" \
    "$( [[ $name == direct ]] && echo - || added "${P99[$name]}" "${P99[direct]}")" "${CPU_US[$name]}" "${ERRORS[$name]}"
done
echo
if [[ "$SKIP_ZONEPLANE" == false ]]; then
  echo "Zoneplane / nginx throughput: $(ratio "${RPS[zoneplane]}" "${RPS[nginx]}") (target >= 1.0)."
  if [[ "$REACTOR_PATH" == true ]]; then
    echo "Plain HTTP/1.1 path / Reactor Netty path: throughput $(ratio "${RPS[zoneplane]}" "${RPS[zoneplane-reactor]}"), CPU per request $(ratio "${CPU_US[zoneplane]}" "${CPU_US[zoneplane-reactor]}")."
  fi
  echo "p99 added by Zoneplane vs direct: $(added "${P99[zoneplane]}" "${P99[direct]}") ms at peak load (SPEC target: <= 1 ms at half of peak)."
else
  echo "Zoneplane skipped (--skip-zoneplane)."
fi
if (( ${#AB_ROWS[@]} > 0 )); then
  HZ="$(getconf CLK_TCK)"
  SPAN=$(( ACCOUNTING_ROUNDS * DURATION ))
  ab_rps() { awk -v n="${AB_REQUESTS[$1]}" -v s="$SPAN" 'BEGIN { printf "%.0f", n / s }'; }
  ab_cpu() { awk -v t="${AB_TICKS[$1]}" -v hz="$HZ" -v n="${AB_REQUESTS[$1]}" 'BEGIN { if (n > 0) printf "%.2f", t * 1e6 / hz / n; else print "n/a" }'; }
  AB_RPS_ON="$(ab_rps on)"; AB_RPS_OFF="$(ab_rps off)"; AB_CPU_ON="$(ab_cpu on)"; AB_CPU_OFF="$(ab_cpu off)"
  AB_THROUGHPUT_COST="$(awk -v a="$AB_RPS_ON" -v b="$AB_RPS_OFF" 'BEGIN { printf "%+.1f", (b - a) * 100 / b }')"
  AB_CPU_COST="$(awk -v a="$AB_CPU_ON" -v b="$AB_CPU_OFF" 'BEGIN { printf "%+.1f", (a - b) * 100 / b }')"
  echo
  echo "## Usage accounting on vs off ($ACCOUNTING_ROUNDS alternating rounds, ${DURATION}s each side per round)"
  echo
  echo "| round | accounting | rps | CPU µs / request | p99 ms |"
  echo "|---:|---|---:|---:|---:|"
  printf '%s\n' "${AB_ROWS[@]}"
  echo
  # Medians of the rounds: one round disturbed by other work on a shared machine moves them least.
  median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  AB_MEDIAN_CPU_ON="$(median "${AB_CPU_ROUNDS[on]}")"; AB_MEDIAN_CPU_OFF="$(median "${AB_CPU_ROUNDS[off]}")"
  AB_MEDIAN_RPS_ON="$(median "${AB_RPS_ROUNDS[on]}")"; AB_MEDIAN_RPS_OFF="$(median "${AB_RPS_ROUNDS[off]}")"
  echo "Accounting on: $AB_RPS_ON rps, $AB_CPU_ON µs CPU per request; off: $AB_RPS_OFF rps, $AB_CPU_OFF µs."
  echo "Throughput on/off $(ratio "$AB_RPS_ON" "$AB_RPS_OFF") (cost ${AB_THROUGHPUT_COST} %), CPU per request on/off $(ratio "$AB_CPU_ON" "$AB_CPU_OFF") (cost ${AB_CPU_COST} %); issue 22 target: each cost <= 3 %."
  echo "Medians of the rounds: throughput on/off $(ratio "$AB_MEDIAN_RPS_ON" "$AB_MEDIAN_RPS_OFF") ($AB_MEDIAN_RPS_ON vs $AB_MEDIAN_RPS_OFF rps), CPU per request on/off $(ratio "$AB_MEDIAN_CPU_ON" "$AB_MEDIAN_CPU_OFF") ($AB_MEDIAN_CPU_ON vs $AB_MEDIAN_CPU_OFF µs)."
  (( AB_ERRORS[on] + AB_ERRORS[off] > 0 )) && echo "WARNING: $(( AB_ERRORS[on] + AB_ERRORS[off] )) errors in the accounting rounds."
fi
total_errors=0
for name in "${!ERRORS[@]}"; do total_errors=$(( total_errors + ERRORS[$name] )); done
if (( total_errors > 0 )); then
  echo
  echo "WARNING: $total_errors non-2xx responses or socket errors: those figures are not comparable (wrk output in $WORK, use --keep)."
fi

# --- machine-readable figures (for bench/run-all) ----------------------------------------------------
if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "duration_s=$DURATION"
    echo "connections=$CONNECTIONS"
    echo "geo_source=$GEO_SOURCE"
    for target in "${TARGETS[@]}"; do
      name="${target%%|*}"
      echo "${name}_rps=${RPS[$name]}"
      echo "${name}_p50_ms=${P50[$name]}"
      echo "${name}_p99_ms=${P99[$name]}"
      echo "${name}_errors=${ERRORS[$name]}"
      echo "${name}_cpu_us_per_request=${CPU_US[$name]}"
    done
    if (( ${#AB_ROWS[@]} > 0 )); then
      echo "accounting_rounds=$ACCOUNTING_ROUNDS"
      echo "accounting_on_rps=$AB_RPS_ON"
      echo "accounting_off_rps=$AB_RPS_OFF"
      echo "accounting_on_cpu_us_per_request=$AB_CPU_ON"
      echo "accounting_off_cpu_us_per_request=$AB_CPU_OFF"
      echo "accounting_throughput_cost_pct=$AB_THROUGHPUT_COST"
      echo "accounting_cpu_cost_pct=$AB_CPU_COST"
      echo "accounting_median_cpu_ratio=$(ratio "$AB_MEDIAN_CPU_ON" "$AB_MEDIAN_CPU_OFF")"
      echo "accounting_median_rps_ratio=$(ratio "$AB_MEDIAN_RPS_ON" "$AB_MEDIAN_RPS_OFF")"
    fi
  } >"$SUMMARY_FILE"
fi
