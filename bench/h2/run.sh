#!/usr/bin/env bash
# HTTP/2 benchmark (issue 26, target 3): h2load (Debian nghttp2-client), 10 streams per connection,
# against Zoneplane's data plane and nginx's `http2` proxy, both forwarding to the same HTTP/1.1 origin
# (nginx, fixed small body), over h2c (prior knowledge) and h2 over TLS (ALPN, the same self-signed
# P-256 certificate for both). Targets alternate within each round (order reversed every other
# round); each round prints Zoneplane / nginx per protocol, the end the median and the worst round.
# Loopback only; every process it starts is stopped by PID on exit. Not part of the test suite.
#
#   bench/h2/run.sh [--duration S] [--warmup S] [--jit-warmup S] [--rounds N] [--clients N]
#                   [--streams N] [--threads N] [--summary-file F]
#
# Defaults: 10 s measured (after 2 s of h2load's own warm-up) per target and round, 15 s of
# unmeasured h2c and h2 load on the node first (its JIT), 3 rounds, 64 connections, 10 streams each,
# 2 h2load threads. --summary-file F writes key=value lines (zoneplane_h2c_rps=..., h2_ratio_median=...).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DURATION=10
WARMUP=2
JIT_WARMUP=15
ROUNDS=3
CLIENTS=64
STREAMS=10
THREADS=2
SUMMARY_FILE=""
HOST_HEADER="bench.test"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --jit-warmup) JIT_WARMUP="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --streams) STREAMS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$DURATION" "$WARMUP" "$JIT_WARMUP" "$ROUNDS" "$CLIENTS" "$STREAMS" "$THREADS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( DURATION >= 1 && DURATION <= 120 && WARMUP <= 30 && JIT_WARMUP <= 120 && ROUNDS >= 1 && ROUNDS <= 9 \
   && THREADS >= 1 && CLIENTS >= THREADS && CLIENTS <= 1000 && STREAMS >= 1 && STREAMS <= 100 )) \
  || { echo "need duration 1..120, warm-up <= 30, jit-warmup <= 120, rounds 1..9, clients threads..1000, streams 1..100" >&2; exit 2; }
bench_install_missing nginx=nginx-light h2load=nghttp2-client curl=curl openssl=openssl

WORK="$(mktemp -d /tmp/zoneplane-h2.XXXXXX)"
chmod 755 "$WORK"
trap 'bench_stop_all; [[ -n "${BENCH_KEEP:-}" ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
NGINX_H2C_PORT="$(bench_free_port)"
NGINX_TLS_PORT="$(bench_free_port)"
ZP_PORT="$(bench_free_port)"
ZP_TLS_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
bench_tls_cert "$WORK/tls" "$HOST_HEADER"

bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$(command -v nginx || echo /usr/sbin/nginx)"

# nginx: its Cloudflare-like proxy (bench/lib/common.sh) with h2c on one port and h2 over TLS on another.
bench_nginx_proxy "$WORK/proxy" "$NGINX_H2C_PORT" "$ORIGIN_PORT" "$HOST_HEADER" http2 \
  "listen 127.0.0.1:$NGINX_TLS_PORT ssl http2 reuseport backlog=4096; ssl_certificate $WORK/tls/cert.pem; ssl_certificate_key $WORK/tls/key.pem; http2_max_concurrent_streams 128;"
bench_start_nginx "$WORK/proxy" "$NGINX_TLS_PORT"
NGINX_PID="$BENCH_NGINX_PID"

bench_zone_snapshot "$WORK/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"
bench_start_node "$WORK/zoneplane" "$WORK/snapshot.json" "$ZP_PORT" "$ZP_MGMT_PORT" \
  ZONEPLANE_HTTPS_PORT="$ZP_TLS_PORT" ZONEPLANE_TLS_CERT_FILE="$WORK/tls/cert.pem" ZONEPLANE_TLS_KEY_FILE="$WORK/tls/key.pem"
ZP_PID="$BENCH_NODE_PID"

url_of() {
  case "$1" in
    nginx-h2c) echo "http://127.0.0.1:$NGINX_H2C_PORT/" ;;
    nginx-h2) echo "https://127.0.0.1:$NGINX_TLS_PORT/" ;;
    zoneplane-h2c) echo "http://127.0.0.1:$ZP_PORT/" ;;
    zoneplane-h2) echo "https://127.0.0.1:$ZP_TLS_PORT/" ;;
  esac
}
pids_of() { case "$1" in nginx-*) bench_process_tree "$NGINX_PID" ;; zoneplane-*) echo "$ZP_PID" ;; esac; }

# --- every target answers 200 over HTTP/2 (curl, not measured) -----------------------------------------
echo "## What each target answers over HTTP/2"
echo
for target in nginx-h2c zoneplane-h2c nginx-h2 zoneplane-h2; do
  mode=(--http2-prior-knowledge); [[ "$target" == *-h2 ]] && mode=(--http2 -k)
  answer="$(curl -sS "${mode[@]}" --max-time 5 -o /dev/null -w '%{http_version} %{http_code}' -H "Host: $HOST_HEADER" "$(url_of "$target")" || true)"
  printf -- '- %-14s HTTP/%s\n' "$target:" "$answer"
  [[ "$answer" == "2 200" ]] || bench_fail "$target does not answer 200 over HTTP/2 (got '$answer'; logs in $WORK, BENCH_KEEP=1 keeps them)"
done
echo

H2LOAD_ARGS=(-t "$THREADS" -c "$CLIENTS" -m "$STREAMS" -H ":authority: $HOST_HEADER")
# run_h2load TARGET OUT SECONDS [ARGS...]: one bounded h2load run of SECONDS (-D) after ARGS' warm-up.
# h2load waits for every stream to finish, so a stream the proxy never answers holds it forever: 60 s
# past its time it is stopped, the target's sockets with unread input are listed, the target is added to
# HUNG and the run returns 1 (its round then counts 0 rps), so the other targets are still measured.
HUNG=()
run_h2load() {
  local target="$1" out="$2" seconds="$3" rc=0 limit port
  shift 3
  limit=$(( seconds + WARMUP + 60 ))
  local bound=(-D "$seconds")
  # JIT warm-up: a request count, not a time. h2load 1.52's -D never stops a client whose TLS handshake
  # ends after the duration (a cold node took 2-5 s for 8 handshakes): it loads the node forever.
  [[ "${H2LOAD_COUNT:-}" ]] && bound=(-n "$H2LOAD_COUNT")
  timeout --kill-after=5 "$limit" h2load "${H2LOAD_ARGS[@]}" "$@" "${bound[@]}" "$(url_of "$target")" >"$out" 2>&1 || rc=$?
  if (( rc == 124 || rc == 137 )); then
    port="$(url_of "$target" | sed 's|.*:\([0-9]*\)/$|\1|')"
    echo "h2load against $target had not finished ${limit}s after starting a ${seconds}s run; $target's sockets with unread input (Recv-Q):" >&2
    ss -tn state established "( sport = :$port )" | awk 'NR > 1 && $1 > 0' | head -n 10 >&2
    [[ " ${HUNG[*]} " == *" $target "* ]] || HUNG+=("$target")
    return 1
  fi
  (( rc == 0 )) || { tail -n 20 "$out" >&2; bench_fail "h2load failed against $target (exit $rc)"; }
}

if (( JIT_WARMUP > 0 )); then
  echo "JIT warm-up of the node: ${JIT_WARMUP}s of h2c and h2 load, not measured" >&2
  # CLIENTS x STREAMS x 3 requests per second of --jit-warmup (1,920/s at 64 x 10), bounded by run_h2load's limit
  H2LOAD_COUNT=$(( CLIENTS * STREAMS * 3 * (JIT_WARMUP + 1) / 2 )) run_h2load zoneplane-h2c "$WORK/jit-h2c.txt" "$(( (JIT_WARMUP + 1) / 2 ))" || true
  H2LOAD_COUNT=$(( CLIENTS * STREAMS * 3 * (JIT_WARMUP + 1) / 2 )) run_h2load zoneplane-h2 "$WORK/jit-h2.txt" "$(( (JIT_WARMUP + 1) / 2 ))" || true
fi

declare -A RPS CPU_US MEAN_MS FAILED
# measure TARGET ROUND: one h2load run; its rps, mean request time, failures and the proxy's CPU per request.
measure() {
  local target="$1" round="$2" out="$WORK/h2load-$1-$2.txt" pids before after
  pids="$(pids_of "$target")"
  before="$(bench_cpu_ticks $pids)"
  # h2load's own warm-up connects and loads first; the measured window starts after it.
  local key="$target.$round" rps
  if ! run_h2load "$target" "$out" "$DURATION" --warm-up-time="${WARMUP}s"; then
    RPS[$key]=0; MEAN_MS[$key]=n/a; CPU_US[$key]=n/a; FAILED[$key]=hung
    echo "round $round $target: hung" >&2
    return 0
  fi
  after="$(bench_cpu_ticks $pids)"
  rps="$(awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($i == "req/s,") { v = $(i - 1); gsub(",", "", v); print v } }' "$out")"
  RPS[$key]="${rps:-0}"
  MEAN_MS[$key]="$(awk '/^time for request:/ { v = $6; u = v; sub(/[0-9.]+/, "", u); n = v + 0;
      if (u == "us") n /= 1000; else if (u == "s") n *= 1000; printf "%.3f", n }' "$out")"
  # failed, errored and timed out requests, and 4xx/5xx answers
  FAILED[$key]="$(awk '/^requests:/ { gsub(",", ""); n += $10 + $12 + $14 } /^status codes:/ { gsub(",", ""); n += $7 + $9 }
      END { print n + 0 }' "$out")"
  # the wall time covers h2load's warm-up too: CPU per request over all the requests it completed
  CPU_US[$key]="$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" '/^requests:/ { gsub(",", ""); done = $8 }
      END { if (done > 0) printf "%.1f", t * 1e6 / hz / done; else print "n/a" }' "$out")"
  echo "round $round $target: ${RPS[$key]} rps, mean ${MEAN_MS[$key]} ms, ${CPU_US[$key]} µs CPU/request, failed ${FAILED[$key]}" >&2
}
echo "h2load: $CLIENTS connections x $STREAMS streams, $THREADS threads, ${WARMUP}s warm-up + ${DURATION}s per target, $ROUNDS rounds" >&2
TARGETS=(nginx-h2c zoneplane-h2c nginx-h2 zoneplane-h2)
bench_alternate "$ROUNDS" measure "${TARGETS[@]}"

# --- report --------------------------------------------------------------------------------------------
echo "## HTTP/2 through Zoneplane vs nginx ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| round | protocol | Zoneplane rps | nginx rps | Zoneplane / nginx | mean ms (Z / n) | CPU µs / request (Z / n) | failed (Z / n) |"
echo "|---:|---|---:|---:|---:|---|---|---|"
declare -A RATIOS
for round in $(seq 1 "$ROUNDS"); do
  for proto in h2c h2; do
    z="zoneplane-$proto.$round"; n="nginx-$proto.$round"
    ratio="$(bench_ratio "${RPS[$z]}" "${RPS[$n]}")"
    RATIOS[$proto]+="$ratio "
    printf '| %s | %s | %.0f | %.0f | %s | %s / %s | %s / %s | %s / %s |\n' "$round" "$proto" "${RPS[$z]}" "${RPS[$n]}" "$ratio" \
      "${MEAN_MS[$z]}" "${MEAN_MS[$n]}" "${CPU_US[$z]}" "${CPU_US[$n]}" "${FAILED[$z]}" "${FAILED[$n]}"
  done
done
echo
for proto in h2c h2; do
  # shellcheck disable=SC2086
  echo "$proto: Zoneplane / nginx throughput median **$(bench_median ${RATIOS[$proto]})×**, worst round $(bench_min ${RATIOS[$proto]})× (target ≥ 1.0)."
done
total_failed=0
for key in "${!FAILED[@]}"; do [[ "${FAILED[$key]}" == hung ]] || total_failed=$(( total_failed + ${FAILED[$key]:-0} )); done
(( total_failed == 0 )) || echo "WARNING: $total_failed requests failed, errored or timed out: those rounds are not comparable."
(( ${#HUNG[@]} == 0 )) || echo "WARNING: h2load never finished against ${HUNG[*]} (streams left unanswered; the round counts 0 rps)."

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "rounds=$ROUNDS"; echo "duration_s=$DURATION"; echo "clients=$CLIENTS"; echo "streams=$STREAMS"
    echo "failed=$total_failed"; echo "hung=${HUNG[*]}"
    for proto in h2c h2; do
      # shellcheck disable=SC2086
      echo "${proto}_ratio_median=$(bench_median ${RATIOS[$proto]})"
      # shellcheck disable=SC2086
      echo "${proto}_ratio_worst=$(bench_min ${RATIOS[$proto]})"
      for side in zoneplane nginx; do
        values=(); cpus=()
        for round in $(seq 1 "$ROUNDS"); do values+=("${RPS[$side-$proto.$round]}"); cpus+=("${CPU_US[$side-$proto.$round]}"); done
        echo "${side}_${proto}_rps=$(bench_median "${values[@]}")"
        echo "${side}_${proto}_cpu_us_per_request=$(bench_median "${cpus[@]}")"
      done
    done
  } >"$SUMMARY_FILE"
fi
