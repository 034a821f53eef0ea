#!/usr/bin/env bash
# Logpush benchmark: one data-plane node under wrk load with one Logpush job on (every field of the
# http_requests dataset, an HTTP destination on loopback) and with none, in alternating rounds, on
# loopback only. See bench/logpush/README.md. Not part of the test suite.
#
#   bench/logpush/run.sh [--rounds N] [--duration S] [--warmup S] [--threads N] [--connections N]
#                        [--jar PATH] [--keep] [--summary-file F]
#
# Prints the throughput of each round, the ratio job-on / job-off, the records per second the node
# delivered while the job was on, and whether anything was dropped (it must not be).
# --summary-file F writes the figures as key=value lines (logpush_rps_ratio=..., logpush_records_per_s=...).
#
# Everything it starts (the nginx origin, the fake control plane / destination, the data-plane JVM) is
# stopped on exit, by PID, whatever the outcome.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$REPO_ROOT/bench/lib/common.sh"
ROUNDS="${BENCH_ROUNDS:-3}"
DURATION="${BENCH_DURATION:-10}"
WARMUP="${BENCH_WARMUP:-5}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
JAR="${BENCH_JAR:-$REPO_ROOT/data-plane/target/data-plane-exec.jar}"
KEEP=false
SUMMARY_FILE=""
HOST_HEADER="bench.test"
ZONE_ID="0b5e11c0ffee0b5e11c0ffee0b5e11c0"
TOKEN="bench-logpush-token"

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --jar) JAR="$2"; shift 2 ;;
    --keep) KEEP=true; shift ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage 2 ;;
  esac
done
for value in "$ROUNDS" "$DURATION" "$WARMUP" "$THREADS" "$CONNECTIONS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || bench_fail "rounds, durations, threads and connections must be whole numbers, got '$value'"
done
(( ROUNDS >= 1 && ROUNDS <= 20 )) || bench_fail "--rounds must be 1..20"
(( DURATION >= 1 && DURATION <= 120 )) || bench_fail "--duration must be 1..120 seconds"
(( THREADS >= 1 && CONNECTIONS >= THREADS )) || bench_fail "need threads >= 1 and connections >= threads"
[[ -f "$JAR" ]] || bench_fail "data-plane jar not found at $JAR; build it: mvn -B -q -pl data-plane -am package -DskipTests"
for tool in java wrk curl python3; do command -v "$tool" >/dev/null || bench_fail "$tool not found on PATH"; done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || bench_fail "nginx not found (the origin); apt-get install nginx-light"

WORK="$(mktemp -d /tmp/zoneplane-bench-logpush.XXXXXX)"
cleanup() {
  bench_stop_all
  if [[ "$KEEP" == true ]]; then echo "kept work directory $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"; CP_PORT="$(bench_free_port)"; ZP_PORT="$(bench_free_port)"; ZP_MGMT="$(bench_free_port)"
bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$NGINX"

FIELDS="$(cd "$REPO_ROOT" && sed -n 's/^ *[A-Z_]*("\([A-Za-z]*\)", FieldType.*/"\1"/p' \
  shared-model/src/main/java/zoneplane/model/logpush/HttpRequestsField.java | paste -sd, -)"
[[ -n "$FIELDS" ]] || bench_fail "could not read the field names of HttpRequestsField"
# "No job" rounds serve the same job for a zone without traffic: nothing of the benchmarked zone is queued,
# and the job's spool and open batch survive the switch (a removed job's spool is deleted).
job() { echo "{\"jobs\":[{\"id\":1,\"zone_id\":\"$1\",\"dataset\":\"http_requests\",\"destination_conf\":\"http://127.0.0.1:$CP_PORT/logs\",\"output_options\":{\"field_names\":[$FIELDS],\"timestamp_format\":\"unixnano\",\"sample_rate\":1.0},\"filter\":\"\",\"max_upload_bytes\":0,\"max_upload_records\":0,\"max_upload_interval_seconds\":0}]}"; }
ONE_JOB="$(job "$ZONE_ID")"
NO_JOB="$(job ffffffffffffffffffffffffffffffff)"
echo "$NO_JOB" >"$WORK/jobs.json"
python3 "$REPO_ROOT/bench/logpush/fake_control_plane.py" "$CP_PORT" "$WORK" "$TOKEN" >"$WORK/cp.log" 2>&1 &
bench_track $!
for _ in $(seq 1 50); do curl -fsS -o /dev/null 2>/dev/null -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$CP_PORT/internal/v1/logpush/jobs" && break; sleep 0.1; done

mkdir -p "$WORK/zoneplane"
bench_zone_snapshot "$WORK/zoneplane/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"
ZONEPLANE_SNAPSHOT_FILE="$WORK/zoneplane/snapshot.json" ZONEPLANE_HTTP_PORT="$ZP_PORT" ZONEPLANE_MANAGEMENT_PORT="$ZP_MGMT" \
ZONEPLANE_CACHE_DIR="$WORK/zoneplane/cache" ZONEPLANE_NODE_TOKEN="$TOKEN" ZONEPLANE_LOGPUSH_URL="http://127.0.0.1:$CP_PORT" \
ZONEPLANE_LOGPUSH_POLL_INTERVAL=1s ZONEPLANE_LOGPUSH_ALLOW_PRIVATE_DESTINATIONS=true \
  java ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/zoneplane.log" 2>&1 &
ZP_PID=$!
bench_track "$ZP_PID"
bench_wait_http "http://127.0.0.1:$ZP_MGMT/health/readiness" "$ZP_PID" "$WORK/zoneplane.log" 60 "$HOST_HEADER"

metric() { curl -fsS "http://127.0.0.1:$ZP_MGMT/metrics" | awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $2 } END { printf "%.0f", s }'; }
received() { [[ -s "$WORK/received" ]] && awk '{print $1}' "$WORK/received" || echo 0; }
serve() { echo "$1" >"$WORK/jobs.json.tmp"; mv "$WORK/jobs.json.tmp" "$WORK/jobs.json"; sleep 2.5; }
wrk_rps() {
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" --timeout 5s -H "Host: $HOST_HEADER" "http://127.0.0.1:$ZP_PORT/" \
    | awk '/^Requests\/sec:/ {print $2}'
}

echo "warm-up ${WARMUP}s (job on) ..." >&2
serve "$ONE_JOB"
(( WARMUP > 0 )) && wrk_rps "$WARMUP" >/dev/null
declare -a ON OFF
ON_SECONDS=0
# The order alternates (off-on, on-off, …) so a drift of the machine's load weighs on both alike.
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then
    serve "$NO_JOB"; OFF+=("$(wrk_rps "$DURATION")"); serve "$ONE_JOB"; ON+=("$(wrk_rps "$DURATION")")
  else
    serve "$ONE_JOB"; ON+=("$(wrk_rps "$DURATION")"); serve "$NO_JOB"; OFF+=("$(wrk_rps "$DURATION")")
  fi
  ON_SECONDS=$(( ON_SECONDS + DURATION ))
  echo "round $round: no job ${OFF[-1]} rps, one job ${ON[-1]} rps" >&2
done
# Batches seal at 30 s (the node's default interval) or 5 MB; switching the job's zone seals the open one.
serve "$NO_JOB"
for _ in $(seq 1 60); do
  [[ "$(metric zoneplane_edge_logpush_spool_bytes)" == 0 ]] && break; sleep 1
done
queued="$(metric zoneplane_edge_logpush_records_queued_total)"
delivered="$(metric zoneplane_edge_logpush_records_delivered_total)"
dropped="$(metric zoneplane_edge_logpush_records_dropped_total)"
on_sum="$(printf '%s\n' "${ON[@]}" | awk '{s += $1} END {print s}')"
off_sum="$(printf '%s\n' "${OFF[@]}" | awk '{s += $1} END {print s}')"
ratio="$(awk -v a="$on_sum" -v b="$off_sum" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
# Every record of the bench zone was made while the job was on (warm-up included).
ON_SECONDS=$(( ON_SECONDS + WARMUP ))
per_s="$(awk -v d="$delivered" -v s="$ON_SECONDS" 'BEGIN { printf "%.0f", (s > 0 ? d / s : 0) }')"

echo "## Logpush: one job (all $(tr -cd , <<<"$FIELDS" | wc -c | awk '{print $1 + 1}') fields, HTTP on loopback) vs none"
echo
echo "| round | no job (rps) | one job (rps) |"
echo "|---|---|---|"
for i in $(seq 0 $(( ROUNDS - 1 ))); do echo "| $(( i + 1 )) | ${OFF[$i]} | ${ON[$i]} |"; done
echo
echo "- throughput ratio one job / none: $ratio ($(awk -v r="$ratio" 'BEGIN { printf "%+.1f %%", (r - 1) * 100 }'))"
echo "- records delivered: $delivered made in ${ON_SECONDS}s of job-on load = $per_s records/s"
echo "- records queued $queued, delivered $delivered, received by the destination $(received), dropped $dropped"
[[ "$dropped" == 0 && "$queued" == "$delivered" && "$(received)" == "$delivered" ]] && echo "- nothing dropped, nothing twice" \
  || echo "- WARNING: records were dropped, are undelivered or arrived twice"
if [[ -n "$SUMMARY_FILE" ]]; then
  printf 'logpush_rps_ratio=%s\nlogpush_records_per_s=%s\nlogpush_dropped=%s\nlogpush_undelivered=%s\n' \
    "$ratio" "$per_s" "$dropped" "$(( queued - delivered ))" >"$SUMMARY_FILE"
fi
