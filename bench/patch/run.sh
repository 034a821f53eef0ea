#!/usr/bin/env bash
# Control-plane PATCH throughput (SPEC §8: >= 2,000 PATCH/s sustained on embedded PostgreSQL). Starts
# the real control plane jar on embedded PostgreSQL, creates accounts, API tokens and zones through
# the API, then wrk (src/patch.lua) flips a setting on those zones from outside the JVM, as curl users
# and SDKs do: every PATCH is a real change with its own revision. A closed-loop warm-up first lets
# the JIT settle (C2 is still compiling after 30 s of this load on 2 cores). Prints throughput,
# latency, the revisions created, and the machine's CPU per PATCH split between the control plane's
# JVM and PostgreSQL. Loopback only; not part of the test suite.
#
#   bench/patch/run.sh [--seconds S] [--warmup S] [--connections N] [--zones N] [--tokens N]
#                      [--summary-file F]
#
# Defaults: 20 s measured after 60 s of warm-up, 32 connections (2 wrk threads, one account each),
# 256 zones (so no two PATCHes in flight touch the same zone), 1 API token per account. Requests of
# one token that overlap share the rate limiter's round trips (Bucket4j batching); --tokens N gives
# each account N tokens used in turn, as traffic from many API clients would, so that with N at
# least the connections per thread each request pays for its own.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

SECONDS_MEASURED=20
WARMUP=60
CONNECTIONS=32
ZONES=256
THREADS=2
# The measured run continues the warm-up's workload (src/patch.lua keeps its count in a file), so the
# JIT has seen every path it takes.
SETTINGS=websockets,ip_geolocation
TOKENS=1
SUMMARY_FILE=""
JAR="${BENCH_CONTROL_PLANE_JAR:-$BENCH_REPO_ROOT/control-plane/target/control-plane-exec.jar}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections|--clients) CONNECTIONS="$2"; shift 2 ;;
    --zones) ZONES="$2"; shift 2 ;;
    --tokens) TOKENS="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$SECONDS_MEASURED" "$WARMUP" "$CONNECTIONS" "$ZONES" "$TOKENS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( SECONDS_MEASURED >= 1 && SECONDS_MEASURED <= 300 && WARMUP <= 300 && CONNECTIONS >= THREADS && CONNECTIONS <= 256 \
   && ZONES >= CONNECTIONS && ZONES <= 10000 && TOKENS >= 1 && TOKENS <= 1000 )) \
  || { echo "need --seconds 1..300, --warmup 0..300, --connections $THREADS..256, --zones connections..10000, --tokens 1..1000" >&2; exit 2; }
for tool in wrk curl python3 java; do command -v "$tool" >/dev/null || bench_fail "$tool is needed"; done
[[ -f "$JAR" ]] || bench_fail "control-plane jar not found at $JAR; build it: mvn -B -q -DskipTests package"

WORK="$(mktemp -d /tmp/zoneplane-patch.XXXXXX)"
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
PORT="$(bench_free_port)"
OPERATOR_TOKEN="bench-operator-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
BASE="http://127.0.0.1:$PORT"

# The per-token rate limit (1,200 per 5 minutes by default, as Cloudflare's) is raised, not turned
# off, so its cost is measured with the rest.
bench_control_plane "$JAR" "$WORK" "$PORT" "$OPERATOR_TOKEN" 120

# Accounts, tokens and zones through the API; writes the wrk script's data table.
python3 - "$BASE" "$OPERATOR_TOKEN" "$THREADS" "$ZONES" "$TOKENS" >"$WORK/fixtures.lua" <<'PY'
import json, sys, urllib.request
base, operator, threads, zones, tokens = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def api(method, path, body, token=operator):
    request = urllib.request.Request(base + "/client/v4" + path, json.dumps(body).encode(), method=method,
                                     headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(request))["result"]
print("fixtures = {")
for t in range(threads):
    account = api("POST", "/accounts", {"name": f"patch bench {t}"})["id"]
    values = [api("POST", f"/accounts/{account}/tokens",
                  {"name": f"patch bench {n}", "permissions": ["zone:read", "zone_settings:read", "zone_settings:edit"]})["value"]
              for n in range(tokens)]
    ids = [api("POST", "/zones", {"account": {"id": account}, "name": f"z{t}-{i}.patch-bench.example", "type": "full",
                                  "plan": "free", "origin": "http://127.0.0.1:9"})["id"] for i in range(t, zones, threads)]
    print("  {tokens = {%s}, zones = {%s}}," % (", ".join(json.dumps(v) for v in values), ", ".join(json.dumps(z) for z in ids)))
print("}")
PY
cat "$WORK/fixtures.lua" "$(dirname "${BASH_SOURCE[0]}")/src/patch.lua" >"$WORK/patch.lua"

# The latest revision of the whole change log, read through the API.
revision() {
  curl -fsS "$BASE/client/v4/zones/$(sed -n 's/.*zones = {"\([0-9a-f]*\)".*/\1/p' "$WORK/fixtures.lua" | head -1)/propagation" \
    -H "Authorization: Bearer $OPERATOR_TOKEN" | python3 -c 'import json, sys; print(json.load(sys.stdin)["result"]["latest_revision"])'
}
# CPU ticks (user + system) of the control plane's JVM and of PostgreSQL (the postmaster started
# under the data directory and its backends).
ticks() {
  local pid postmaster total=0
  postmaster="$(pgrep -f -- "-D $WORK/data" | head -1 || true)"
  for pid in "$CP_PID" ${postmaster:+$postmaster $(pgrep -P "$postmaster" || true)}; do
    [[ -r /proc/$pid/stat ]] || continue
    total=$(( total + $(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$pid/stat") ))
    [[ "$pid" == "$CP_PID" ]] && echo -n "$total "
  done
  echo "$total"
}
busy_ticks() { awk '/^cpu / {print $2 + $4 + $7 + $8}' /proc/stat; }
# Write transactions of setting changes so far and the changes they carried (group commit).
write_batches() {
  curl -fsS "$BASE/actuator/prometheus" -H "Authorization: Bearer $OPERATOR_TOKEN" \
    | awk '/^zoneplane_settings_write_batch_count/ {count = $2} /^zoneplane_settings_write_batch_sum/ {sum = $2}
           END {printf "%d %d\n", count, sum}'
}

if (( WARMUP > 0 )); then
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$WORK/patch.lua" "$BASE/" -- "$SETTINGS" "$WORK/sent" >/dev/null
fi
REV_BEFORE="$(revision)"
read -r BATCHES_BEFORE BATCHED_BEFORE < <(write_batches)
read -r JVM_BEFORE ALL_BEFORE < <(ticks)
BUSY_BEFORE="$(busy_ticks)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" --latency -s "$WORK/patch.lua" "$BASE/" -- "$SETTINGS" "$WORK/sent" \
  >"$WORK/wrk.out"
BUSY_AFTER="$(busy_ticks)"
read -r JVM_AFTER ALL_AFTER < <(ticks)
REV_AFTER="$(revision)"
read -r BATCHES_AFTER BATCHED_AFTER < <(write_batches)

python3 - "$WORK/wrk.out" "$SECONDS_MEASURED" "$CONNECTIONS" "$((REV_AFTER - REV_BEFORE))" "$(getconf CLK_TCK)" \
    "$((JVM_AFTER - JVM_BEFORE))" "$((ALL_AFTER - ALL_BEFORE - JVM_AFTER + JVM_BEFORE))" "$((BUSY_AFTER - BUSY_BEFORE))" \
    "${SUMMARY_FILE:-/dev/null}" "$((BATCHES_AFTER - BATCHES_BEFORE))" "$((BATCHED_AFTER - BATCHED_BEFORE))" \
    "$((THREADS * TOKENS))" <<'PY'
import re, sys
out, seconds, connections, revisions, hz, jvm, pg, busy, summary, batches, batched, tokens = sys.argv[1:]
text = open(out).read()
seconds, revisions, hz = int(seconds), int(revisions), int(hz)
requests = int(re.search(r"(\d+) requests in", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = int(errors.group(1)) if errors else 0
ok = requests - errors
def ms(label):
    value, unit = re.search(r"^\s+%s\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
def micros_per_patch(ticks):
    return int(ticks) * 1e6 / hz / max(ok, 1)
rate = ok / seconds
print(f"PATCH throughput: {ok} requests in {seconds} s = {rate:.0f} PATCH/s with {connections} connections"
      f" and {tokens} API tokens;"
      f" latency p50 {ms('50%'):.2f} ms, p99 {ms('99%'):.2f} ms; {revisions} revisions created"
      f" ({revisions / max(ok, 1):.2f} per PATCH), {errors} errors")
print(f"CPU per PATCH: {micros_per_patch(busy):.0f} us on the machine (control-plane JVM {micros_per_patch(jvm):.0f} us,"
      f" PostgreSQL {micros_per_patch(pg):.0f} us, the rest is wrk and other work)")
per_batch = int(batched) / max(int(batches), 1)
print(f"Group commit: {batches} write transactions carried {batched} setting changes ({per_batch:.1f} per transaction)")
with open(summary, "w") as f:
    f.write(f"patch_per_s={rate:.0f}\nclients={connections}\ntokens={tokens}\np50_ms={ms('50%'):.2f}\np99_ms={ms('99%'):.2f}\n"
            f"requests={ok}\nerrors={errors}\nrevisions={revisions}\nseconds={seconds}\n"
            f"cpu_us_per_patch={micros_per_patch(busy):.0f}\njvm_us_per_patch={micros_per_patch(jvm):.0f}\n"
            f"postgres_us_per_patch={micros_per_patch(pg):.0f}\nchanges_per_write_transaction={per_batch:.1f}\n")
if errors:
    sys.exit(f"{errors} PATCHes failed (see the control plane's log)")
PY
