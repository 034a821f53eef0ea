#!/usr/bin/env bash
# Concurrent WebSockets held through one data-plane node (SPEC §8: 10,000 held with heartbeats,
# < 1 GB heap). Three JVMs on loopback: a WebSocket echo origin (src/WsBench.java origin), the node
# (data-plane-exec.jar from a snapshot file) and the clients (src/WsBench.java clients), which open
# the WebSockets through the node, send a text heartbeat on each every --heartbeat seconds and count
# the echoes. Mid-hold the node's heap (used, after a full GC via jcmd) and RSS are read. Not part of
# the test suite.
#
#   bench/websockets/run.sh [--connections N] [--hold S] [--heartbeat S] [--origins K] [--summary-file F]
#
# Defaults: 10000 connections, 60 s hold, 20 s heartbeat, 4 origin addresses (127.0.0.1..4, one zone
# each). The node needs 2 file descriptors per WebSocket (visitor + origin); when its open-files
# limit cannot hold N, the bench opens as many as fit and says so.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

CONNECTIONS=10000
HOLD=60
HEARTBEAT=20
ORIGINS=4
SUMMARY_FILE=""
JAR="${BENCH_JAR:-$BENCH_REPO_ROOT/data-plane/target/data-plane-exec.jar}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --hold) HOLD="$2"; shift 2 ;;
    --heartbeat) HEARTBEAT="$2"; shift 2 ;;
    --origins) ORIGINS="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$CONNECTIONS" "$HOLD" "$HEARTBEAT" "$ORIGINS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( CONNECTIONS >= 1 && CONNECTIONS <= 50000 && HOLD >= 5 && HOLD <= 1800 && HEARTBEAT >= 1 && ORIGINS >= 1 && ORIGINS <= 16 )) \
  || { echo "need --connections 1..50000, --hold 5..1800, --heartbeat >= 1, --origins 1..16" >&2; exit 2; }
[[ -f "$JAR" ]] || bench_fail "data-plane jar not found at $JAR; build it: mvn -B -q -DskipTests package"
command -v jcmd >/dev/null || bench_fail "jcmd (JDK) is needed to read the node's heap"

CP="$(bench_compile websockets)"
WORK="$(mktemp -d /tmp/zoneplane-websockets.XXXXXX)"
trap 'bench_stop_all; [[ -n "${BENCH_KEEP:-}" ]] && echo "kept $WORK" >&2 || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# --- echo origin, one listener per loopback address -----------------------------------------------
ADDRESSES=()
for n in $(seq 1 "$ORIGINS"); do ADDRESSES+=("127.0.0.$n"); done
java -Xmx1g -cp "$CP" WsBench origin "${ADDRESSES[@]}" >"$WORK/origin.out" 2>"$WORK/origin.err" &
ORIGIN_PID=$!
bench_track "$ORIGIN_PID"
for _ in $(seq 1 300); do
  (( $(grep -c '^ORIGIN ' "$WORK/origin.out" || true) == ORIGINS )) && break
  kill -0 "$ORIGIN_PID" 2>/dev/null || { cat "$WORK/origin.err" >&2; bench_fail "the echo origin exited"; }
  sleep 0.1
done
(( $(grep -c '^ORIGIN ' "$WORK/origin.out" || true) == ORIGINS )) || bench_fail "the echo origin did not start within 30 s"

# --- the node: one enterprise zone per origin address, websockets on ------------------------------
HOSTS=()
ZONES_JSON=""
i=0
while read -r _ address port; do
  host="ws$i.bench.test"
  HOSTS+=("$host")
  id="$(printf 'beec%028x' "$i")"
  ZONES_JSON+="${ZONES_JSON:+,}{\"id\":\"$id\",\"name\":\"$host\",\"plan\":\"enterprise\",\"origin\":\"http://$address:$port\",\"paused\":false,\"settings\":{\"websockets\":\"on\"}}"
  i=$((i + 1))
done < <(grep '^ORIGIN ' "$WORK/origin.out")
echo "{\"revision\":1,\"zones\":[$ZONES_JSON]}" >"$WORK/snapshot.json"
ZP_PORT="$(bench_free_port)"
ZP_MGMT_PORT="$(bench_free_port)"
ZONEPLANE_SNAPSHOT_FILE="$WORK/snapshot.json" ZONEPLANE_HTTP_PORT="$ZP_PORT" ZONEPLANE_MANAGEMENT_PORT="$ZP_MGMT_PORT" \
ZONEPLANE_CACHE_DIR="$WORK/cache" ZONEPLANE_NODE_ID="ws-bench" \
  java ${JAVA_OPTS:-} -jar "$JAR" >"$WORK/node.log" 2>&1 &
NODE_PID=$!
bench_track "$NODE_PID"
bench_wait_http "http://127.0.0.1:$ZP_MGMT_PORT/health/readiness" "$NODE_PID" "$WORK/node.log" 90

# --- how many fit in the node's open-files limit -----------------------------------------------------
FD_LIMIT="$(awk '/^Max open files/ { print $4 }' "/proc/$NODE_PID/limits")"
FD_BASE="$(ls "/proc/$NODE_PID/fd" | wc -l)"
TARGET="$CONNECTIONS"
FD_NOTE=""
if [[ "$FD_LIMIT" =~ ^[0-9]+$ ]]; then
  FIT=$(( (FD_LIMIT - FD_BASE - 100) / 2 ))
  if (( FIT < TARGET )); then
    TARGET="$FIT"
    FD_NOTE="node open-files limit $FD_LIMIT ($FD_BASE in use at start) holds at most $FIT WebSockets at 2 fds each: opening $FIT of $CONNECTIONS"
    echo "$FD_NOTE" >&2
  fi
fi
HEAP_IDLE="$(bench_heap_used_after_gc "$NODE_PID" || echo 0)"
RSS_IDLE="$(bench_rss "$NODE_PID")"

# --- clients -----------------------------------------------------------------------------------------
echo "opening $TARGET WebSockets through the node (${#HOSTS[@]} zones), holding ${HOLD}s, heartbeat every ${HEARTBEAT}s" >&2
java -Xmx1g -cp "$CP" WsBench clients "$ZP_PORT" "$TARGET" 120 "$HOLD" "$HEARTBEAT" "${HOSTS[@]}" \
  >"$WORK/clients.out" 2>"$WORK/clients.err" &
CLIENTS_PID=$!
bench_track "$CLIENTS_PID"
for _ in $(seq 1 3000); do   # ramp: at most 300 s
  grep -q '^RAMPED ' "$WORK/clients.out" && break
  kill -0 "$CLIENTS_PID" 2>/dev/null || { cat "$WORK/clients.err" >&2; bench_fail "the clients exited during the ramp"; }
  sleep 0.1
done
RAMPED="$(grep '^RAMPED ' "$WORK/clients.out" || true)"
[[ -n "$RAMPED" ]] || bench_fail "the ramp did not finish within 300 s"
echo "$RAMPED" >&2
sleep $(( HOLD / 2 ))            # mid-hold: every WebSocket has had heartbeats by now (when HOLD >= 2 x heartbeat)
NODE_FDS="$(ls "/proc/$NODE_PID/fd" | wc -l)"
RSS_HELD="$(bench_rss "$NODE_PID")"
HEAP_HELD="$(bench_heap_used_after_gc "$NODE_PID" || echo 0)"
RSS_HELD_AFTER_GC="$(bench_rss "$NODE_PID")"
METRIC_WS="$(curl -fsS --max-time 5 "http://127.0.0.1:$ZP_MGMT_PORT/metrics" | awk '/^zoneplane_edge_websockets_active/ { s += $NF } END { print s + 0 }')"
for _ in $(seq 1 $(( (HOLD + 120) * 10 ))); do
  kill -0 "$CLIENTS_PID" 2>/dev/null || break
  sleep 0.1
done
RESULT="$(grep '^RESULT ' "$WORK/clients.out" || true)"
[[ -n "$RESULT" ]] || { tail -n 20 "$WORK/clients.err" >&2; bench_fail "the clients printed no result"; }
field() { tr ' ' '\n' <<<"$1" | awk -F= -v k="$2" '$1 == k { print $2 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

OPEN_AT_END="$(field "$RESULT" open_at_end)"
MIN_OPEN="$(field "$RESULT" min_open_during_hold)"
CLOSED_EARLY="$(field "$RESULT" closed_early)"
ALL_HELD=no
(( MIN_OPEN == TARGET && CLOSED_EARLY == 0 && $(field "$RESULT" echoes) == $(field "$RESULT" heartbeats) )) && ALL_HELD=yes
PER_WS="$(awk -v h="$HEAP_HELD" -v i="$HEAP_IDLE" -v n="$MIN_OPEN" 'BEGIN { if (n > 0) printf "%.0f", (h - i) / n; else print "n/a" }')"

echo "## Concurrent WebSockets through one data-plane node"
echo
[[ -n "$FD_NOTE" ]] && { echo "Note: $FD_NOTE."; echo; }
echo "| requested | opened | min open during hold | open at end of hold | closed early | heartbeats sent / echoed | node heap used after GC (idle → held) | heap per WebSocket | node RSS (idle → held) | node fds held |"
echo "|---:|---:|---:|---:|---:|---|---|---:|---|---:|"
echo "| $CONNECTIONS | $(field "$RESULT" opened) | $MIN_OPEN | $OPEN_AT_END | $CLOSED_EARLY | $(field "$RESULT" heartbeats) / $(field "$RESULT" echoes) | $(mb "$HEAP_IDLE") → $(mb "$HEAP_HELD") MB | $PER_WS B | $(mb "$RSS_IDLE") → $(mb "$RSS_HELD") MB | $NODE_FDS |"
echo
echo "All $TARGET opened, stayed open for ${HOLD}s and echoed every heartbeat: $ALL_HELD. Ramp: $RAMPED. Node gauge zoneplane_edge_websockets_active mid-hold: $METRIC_WS."
echo "Heartbeats count from each WebSocket's opening (ramp included); at the end they stop and their echoes are awaited (at most 15 s) before the close."
if grep -q 'failed:' "$WORK/clients.err"; then
  echo
  echo "First handshake failures seen by the clients:"
  echo
  grep 'failed:' "$WORK/clients.err" | head -n 3 | sed 's/^/    /'
fi
echo "Heap from \`jcmd GC.run\` + \`GC.heap_info\` (the node's /metrics has no jvm_memory_used_bytes)."

if [[ -n "$SUMMARY_FILE" ]]; then
  {
    echo "requested=$CONNECTIONS"; echo "target=$TARGET"; echo "fd_limit=$FD_LIMIT"; echo "fd_note=$FD_NOTE"
    for key in opened failed open_at_end min_open_during_hold closed_early heartbeats echoes; do echo "$key=$(field "$RESULT" "$key")"; done
    echo "all_held=$ALL_HELD"; echo "heap_idle_bytes=$HEAP_IDLE"; echo "heap_held_bytes=$HEAP_HELD"; echo "heap_per_ws_bytes=$PER_WS"
    echo "rss_idle_bytes=$RSS_IDLE"; echo "rss_held_bytes=$RSS_HELD"; echo "node_fds=$NODE_FDS"; echo "hold_s=$HOLD"
  } >"$SUMMARY_FILE"
fi
