#!/usr/bin/env bash
# Traffic analytics benchmark (issue 22), loopback only, not part of the test suite. A real control plane
# (control-plane-exec.jar, profile local: embedded PostgreSQL in a temporary directory) and:
#   1. ingest: ZONES active zones x NODES nodes shipping each minute, as nodes ship (gzip UsageReports,
#      real HTTP POSTs with the node token, <= BATCH zone-minutes each), MINUTES simulated minutes back to
#      back; prints the control plane's CPU seconds per simulated minute (JVM + PostgreSQL) and rows written;
#   2. history: DAYS days of 1-minute data for HISTORY_ZONES zones, loaded in bulk with SQL generate_series
#      into the real schema (the ingest's tables and partitions), then the bytes per zone-day on disk;
#   3. query: the 24 h httpRequests1mGroups question for one zone through the GraphQL API, QUERIES times:
#      p50 / p99 / max (issue 22 target: p99 <= 50 ms with 7 days of data for 10,000 zones).
#
#   bench/analytics/run.sh [--zones N] [--nodes N] [--minutes N] [--batch N] [--days N]
#                          [--history-zones N] [--queries N] [--warmup N] [--summary-file F]
#
# Defaults are the issue's figures (10,000 zones, 3 nodes, 7 days for 10,000 zones: ~100 M zone-minute
# rows, tens of GB and hours of loading); pass smaller --history-zones on a small machine.
# The zones are inserted with SQL (one account made through the API): ingest and queries read only the
# zones table, and 10,000 zone creations through the API would measure the zones API instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ZONES=10000; NODES=3; MINUTES=3; BATCH=5000; DAYS=7; HISTORY_ZONES=10000; QUERIES=200; WARMUP=20; SUMMARY_FILE=""
JAR="${BENCH_CONTROL_PLANE_JAR:-$BENCH_REPO_ROOT/control-plane/target/control-plane-exec.jar}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --zones) ZONES="$2"; shift 2 ;;
    --nodes) NODES="$2"; shift 2 ;;
    --minutes) MINUTES="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --days) DAYS="$2"; shift 2 ;;
    --history-zones) HISTORY_ZONES="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$ZONES" "$NODES" "$MINUTES" "$BATCH" "$DAYS" "$HISTORY_ZONES" "$QUERIES" "$WARMUP"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( ZONES >= 1 && ZONES <= 100000 && NODES >= 1 && NODES <= 20 && MINUTES >= 1 && MINUTES <= 60 && BATCH >= 1 \
   && BATCH <= 5000 && DAYS >= 1 && DAYS <= 7 && HISTORY_ZONES >= 1 && HISTORY_ZONES <= ZONES && QUERIES >= 1 )) \
  || { echo "need --zones 1..100000, --nodes 1..20, --minutes 1..60, --batch 1..5000, --days 1..7 (the 1-minute retention)," \
            "--history-zones 1..zones, --queries >= 1" >&2; exit 2; }
for tool in curl python3 java javac psql; do command -v "$tool" >/dev/null || bench_fail "$tool is needed"; done
[[ -f "$JAR" ]] || bench_fail "control-plane jar not found at $JAR; build it: mvn -B -q -DskipTests package"
CP="$(bench_compile analytics)"

WORK="$(mktemp -d /tmp/zoneplane-analytics.XXXXXX)"
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
PORT="$(bench_free_port)"
OPERATOR_TOKEN="bench-operator-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
NODE_TOKEN="bench-node-$OPERATOR_TOKEN"
BASE="http://127.0.0.1:$PORT"

bench_control_plane "$JAR" "$WORK" "$PORT" "$OPERATOR_TOKEN" 180
PG_PORT="$(sed -n 4p "$WORK/data/postgres/postmaster.pid")"
POSTMASTER="$(sed -n 1p "$WORK/data/postgres/postmaster.pid")"
sql() { psql -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }

ACCOUNT="$(curl -fsS "$BASE/client/v4/accounts" -H "Authorization: Bearer $OPERATOR_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"analytics bench"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["result"]["id"])')"
sql -c "insert into zones (id, account_id, name, plan, origin)
        select md5('analytics-bench-' || i), '$ACCOUNT', 'z' || i || '.analytics-bench.example', 'free', 'http://127.0.0.1:9'
        from generate_series(1, $ZONES) i"
sql -c "select id from zones where account_id = '$ACCOUNT' order by name" >"$WORK/zones.txt"

echo "## Traffic analytics ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
# --- 1. ingest ---------------------------------------------------------------------------------------
rows() { sql -c "select (select count(*) from analytics_zone_1m), (select count(*) from analytics_http_1m)"; }
IFS='|' read -r ZONE_ROWS_BEFORE HTTP_ROWS_BEFORE < <(rows)
java -cp "$CP" IngestLoad "$BASE" "$NODE_TOKEN" "$WORK/zones.txt" "$NODES" "$MINUTES" "$BATCH" "$CP_PID" "$POSTMASTER" \
  | tee "$WORK/ingest.txt"
IFS='|' read -r ZONE_ROWS_AFTER HTTP_ROWS_AFTER < <(rows)
ZONE_ROWS=$(( (ZONE_ROWS_AFTER - ZONE_ROWS_BEFORE) / MINUTES )); HTTP_ROWS=$(( (HTTP_ROWS_AFTER - HTTP_ROWS_BEFORE) / MINUTES ))
echo "rows written per simulated minute: $ZONE_ROWS analytics_zone_1m + $HTTP_ROWS analytics_http_1m"
echo

# --- 2. history, in bulk ----------------------------------------------------------------------------
minute_bytes() {
  sql -c "select sum(pg_total_relation_size(c.oid)) from pg_inherits i join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent where p.relname in ('analytics_zone_1m', 'analytics_http_1m')"
}
BYTES_BEFORE="$(minute_bytes)"
UNTIL="$(python3 -c 'import datetime as d; n = d.datetime.now(d.timezone.utc).replace(second=0, microsecond=0); print(n.strftime("%Y-%m-%dT%H:%M:%SZ"))')"
T0=$SECONDS
sql <<SQL
create temporary table history_zones as
  select id as zone_id, account_id from zones where account_id = '$ACCOUNT' order by name limit $HISTORY_ZONES;
create temporary table history_minutes as
  select generate_series(timestamptz '$UNTIL' - interval '$DAYS days', timestamptz '$UNTIL' - interval '1 minute',
                         interval '1 minute') as ts;
insert into analytics_zone_1m (ts, zone_id, node_id, instance_id, account_id, uniques, ws_opened, ws_closed_normal,
    ws_closed_abnormal, ws_peak_concurrent, ws_connection_seconds, ws_billable_minutes, ws_bytes_to_client, ws_bytes_to_origin)
  select m.ts, z.zone_id, 'bench-history', '', z.account_id, (select uniques from analytics_zone_1m limit 1), 0, 0, 0, 0, 0, 0, 0, 0
  from history_minutes m cross join history_zones z;
insert into analytics_http_1m (ts, zone_id, node_id, instance_id, country, status, protocol, kind, ssl_protocol, host,
    content_type, requests, bytes_to_client, bytes_from_client)
  select m.ts, z.zone_id, 'bench-history', '', t.country, t.status, t.protocol, 'http', t.ssl, 'www.example.com', t.ct,
         t.requests, t.bytes, t.requests * 400
  from history_minutes m cross join history_zones z
  cross join (values ('US', 200, 'HTTP/2', 'TLSv1.3', 'html', 40, 400000), ('DE', 200, 'HTTP/1.1', 'none', 'json', 12, 36000),
                     ('FR', 404, 'HTTP/1.1', 'TLSv1.3', 'html', 2, 1200)) as t(country, status, protocol, ssl, ct, requests, bytes);
analyze analytics_zone_1m;
analyze analytics_http_1m;
SQL
LOAD_S=$(( SECONDS - T0 ))
HISTORY_ROWS=$(( HISTORY_ZONES * DAYS * 1440 ))
BYTES_AFTER="$(minute_bytes)"
BYTES=$(( BYTES_AFTER - BYTES_BEFORE ))
BYTES_PER_ZONE_DAY="$(awk -v b="$BYTES" -v h="$HISTORY_ZONES" -v d="$DAYS" 'BEGIN { printf "%.0f", b / (h * d) }')"
echo "history: $DAYS days x $HISTORY_ZONES zones = $HISTORY_ROWS zone-minutes ($(( HISTORY_ROWS * 3 )) tuples) loaded in ${LOAD_S}s;" \
  "the 1-minute tables grew $(( BYTES / 1048576 )) MB = $BYTES_PER_ZONE_DAY bytes per zone-day from one node (3 tuples a minute, indexes included)"
echo

# --- 3. query ---------------------------------------------------------------------------------------
java -cp "$CP" QueryLatency "$BASE" "$OPERATOR_TOKEN" "$(head -1 "$WORK/zones.txt")" "$UNTIL" "$QUERIES" "$WARMUP" | tee "$WORK/query.txt"

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    grep -h '=' "$WORK/ingest.txt" "$WORK/query.txt"
    echo "zones=$ZONES"; echo "nodes=$NODES"; echo "history_zones=$HISTORY_ZONES"; echo "days=$DAYS"
    echo "zone_rows_per_minute=$ZONE_ROWS"; echo "http_rows_per_minute=$HTTP_ROWS"
    echo "bytes_per_zone_day=$BYTES_PER_ZONE_DAY"; echo "history_load_s=$LOAD_S"
  } >"$SUMMARY_FILE"
fi
