#!/usr/bin/env bash
# Control-plane PATCH throughput (SPEC §8: >= 2,000 PATCH/s sustained on embedded PostgreSQL): runs
# control-plane's PatchThroughputBenchmark (a real control plane on embedded PostgreSQL, 32 HTTP
# clients flipping a setting on 64 zones) and prints its figures. Not part of the test suite.
#
#   bench/patch/run.sh [--seconds S] [--clients N] [--summary-file F]
#
# Defaults: 15 s measured (after 3 s of warm-up), 32 clients.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

SECONDS_MEASURED=15
CLIENTS=32
SUMMARY_FILE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ "$SECONDS_MEASURED" =~ ^[0-9]+$ && "$CLIENTS" =~ ^[0-9]+$ ]] || { echo "--seconds and --clients take whole numbers" >&2; exit 2; }
(( SECONDS_MEASURED >= 1 && SECONDS_MEASURED <= 300 && CLIENTS >= 1 && CLIENTS <= 256 )) \
  || { echo "need --seconds 1..300 and --clients 1..256" >&2; exit 2; }

cd "$BENCH_REPO_ROOT"
OUTPUT="control-plane/target/surefire-reports/zoneplane.controlplane.bench.PatchThroughputBenchmark-output.txt"
rm -f "$OUTPUT"
# The benchmark is a JUnit class enabled only by -Dzoneplane.bench=true; surefire runs it in its own JVM
# (stopped by surefire when the run ends) and redirects its stdout to the file read below.
LOG="$(mktemp /tmp/zoneplane-patch.XXXXXX)"
trap 'rm -f "$LOG"' EXIT
if ! timeout $((SECONDS_MEASURED + 600)) mvn -B -q -pl control-plane -am test -Dtest=PatchThroughputBenchmark \
    -Dzoneplane.bench=true -Dzoneplane.bench.seconds="$SECONDS_MEASURED" -Dzoneplane.bench.clients="$CLIENTS" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$LOG" 2>&1; then
  tail -n 40 "$LOG" >&2
  bench_fail "the PATCH benchmark failed (maven output above)"
fi
LINE="$(grep -h '^PATCH throughput:' "$OUTPUT" || true)"
[[ -n "$LINE" ]] || bench_fail "no 'PATCH throughput' line in $OUTPUT"
echo "$LINE"

if [[ -n "$SUMMARY_FILE" ]]; then
  # PATCH throughput: N requests in S s = R PATCH/s with C clients; latency p50 X ms, p99 Y ms, max Z ms
  awk '{
      for (i = 1; i <= NF; i++) {
        if ($i == "=") print "patch_per_s=" $(i + 1);
        if ($i == "with") print "clients=" $(i + 1);
        if ($i == "p50") print "p50_ms=" $(i + 1);
        if ($i == "p99") print "p99_ms=" $(i + 1);
        if ($i == "max") print "max_ms=" $(i + 1);
        if ($i == "throughput:") print "requests=" $(i + 1);
      }
    }' <<<"$LINE" >"$SUMMARY_FILE"
  echo "seconds=$SECONDS_MEASURED" >>"$SUMMARY_FILE"
fi
