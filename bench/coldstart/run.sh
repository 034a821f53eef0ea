#!/usr/bin/env bash
# Cold start from the disk cache (SPEC §8: the data plane serves from its disk cache < 1 s after JVM
# start). Writes a 100k-zone view cache with the data plane's own ViewCache, then starts the node
# (data-plane-exec.jar) with its control plane unreachable (a closed loopback port) and measures the
# wall time from process start to the first 200 through the proxy; repeats and prints min/median/max.
# Loopback only; not part of the test suite.
#
#   bench/coldstart/run.sh [--zones N] [--repeat N] [--timeout S] [--summary-file F] [--json-cache]
#                          [--classpath | --cds | --image]
#
# Defaults: 100000 zones, 5 repetitions, 60 s per start at most. JAVA_OPTS goes to the node's JVM.
# --json-cache starts every run from the JSON cache of nodes before the binary format (an upgraded
# node's first start: it reads the JSON file and rewrites it as binary before serving).
# --classpath runs the node from the exec jar's contents unpacked (java -cp app.jar:lib/*.jar
# zoneplane.dataplane.DataPlaneMain) instead of through Spring Boot's nested-jar launcher; --cds does
# that plus application class-data sharing: one training start with -XX:ArchiveClassesAtExit, then
# every timed start with -XX:SharedArchiveFile (see data-plane/README.md, "Start-up"). --image starts
# the node as the data-plane image does: data-plane/src/main/docker/cds-image.sh unpacks the jar and
# makes the archive in its own training start (1,000 generated zones, not this bench's cache), then
# every timed start runs the Dockerfile's launch (java -XX:SharedArchiveFile -Xshare:auto -jar).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ZONES=100000
REPEAT=5
TIMEOUT=60
SUMMARY_FILE=""
CACHE_FORMAT=""
LAUNCH="jar"
HOST_HEADER="z0.bench.example"
JAR="${BENCH_JAR:-$BENCH_REPO_ROOT/data-plane/target/data-plane-exec.jar}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --zones) ZONES="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --summary-file) SUMMARY_FILE="$2"; shift 2 ;;
    --json-cache) CACHE_FORMAT="json"; shift ;;
    --classpath) LAUNCH="classpath"; shift ;;
    --cds) LAUNCH="cds"; shift ;;
    --image) LAUNCH="image"; shift ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$ZONES" "$REPEAT" "$TIMEOUT"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole, got '$value'" >&2; exit 2; }
done
(( ZONES >= 1 && ZONES <= 2000000 && REPEAT >= 1 && REPEAT <= 20 && TIMEOUT >= 1 && TIMEOUT <= 300 )) \
  || { echo "need --zones 1..2000000, --repeat 1..20, --timeout 1..300" >&2; exit 2; }
[[ -f "$JAR" ]] || bench_fail "data-plane jar not found at $JAR; build it: mvn -B -q -DskipTests package"
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || bench_fail "nginx is needed for the origin (apt-get install nginx-light)"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

CP="$(bench_compile coldstart)"
WORK="$(mktemp -d /tmp/zoneplane-coldstart.XXXXXX)"
chmod 755 "$WORK"
trap 'bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$NGINX"

# shellcheck disable=SC2086
java -Xmx1g -cp "$CP" ColdStartCache "$WORK/cache" "$ZONES" "http://127.0.0.1:$ORIGIN_PORT" $CACHE_FORMAT >&2
CACHE_FILE="$(find "$WORK/cache" -maxdepth 1 -name 'zone-view.*' -type f)"
[[ -f "$CACHE_FILE" ]] || bench_fail "no cache file written in $WORK/cache"
cp "$CACHE_FILE" "$WORK/cache.pristine"
CACHE_BYTES="$(stat -c %s "$CACHE_FILE")"

# How the node is launched: the exec jar as shipped, or its contents on a plain class path (what
# AppCDS needs in JDK 17: it archives classes from jar files on -cp, not from nested jars).
# shellcheck disable=SC2206
NODE=(java ${JAVA_OPTS:-} -jar "$JAR")
if [[ "$LAUNCH" == "image" ]]; then
  IMAGE_SCRIPT="$BENCH_REPO_ROOT/data-plane/src/main/docker/cds-image.sh"
  sh "$IMAGE_SCRIPT" unpack "$JAR" "$WORK/image" >&2 || bench_fail "cds-image.sh unpack failed"
  sh "$IMAGE_SCRIPT" train "$WORK/image" >&2 || bench_fail "cds-image.sh train failed"
  # shellcheck disable=SC2206
  NODE=(java ${JAVA_OPTS:-} -XX:SharedArchiveFile="$WORK/image/data-plane.jsa" -Xshare:auto -jar "$WORK/image/data-plane.jar")
elif [[ "$LAUNCH" != "jar" ]]; then
  mkdir -p "$WORK/app"
  (cd "$WORK/app" && unzip -q "$JAR" 'BOOT-INF/*') || bench_fail "cannot unpack $JAR"
  jar cf "$WORK/app/data-plane.jar" -C "$WORK/app/BOOT-INF/classes" . || bench_fail "cannot pack the node's classes"
  NODE_CP="$WORK/app/data-plane.jar:$(find "$WORK/app/BOOT-INF/lib" -name '*.jar' | sort | paste -sd:)"
  # shellcheck disable=SC2206
  NODE=(java ${JAVA_OPTS:-} -cp "$NODE_CP" zoneplane.dataplane.DataPlaneMain)
fi

# The control plane is "unreachable": a loopback port nothing listens on (connection refused).
DEAD_PORT="$(bench_free_port)"

# start_node RUN LOG_NAME COMMAND...: one probed start from the pristine cache; output in $WORK/probe-RUN.*
start_node() {
  local run="$1" name="$2"; shift 2
  rm -f "$WORK"/cache/zone-view.*   # every start reads the same file, alone (an upgrade leaves a .bin)
  cp "$WORK/cache.pristine" "$CACHE_FILE"
  ZP_PORT="$(bench_free_port)"
  ZP_MGMT_PORT="$(bench_free_port)"
  # The probe starts the node itself (timing from just before the fork) and stops it before exiting.
  ZONEPLANE_CONTROL_PLANE_URL="http://127.0.0.1:$DEAD_PORT" ZONEPLANE_NODE_TOKEN="bench-node-token" \
    ZONEPLANE_CACHE_DIR="$WORK/cache" ZONEPLANE_HTTP_PORT="$ZP_PORT" ZONEPLANE_MANAGEMENT_PORT="$ZP_MGMT_PORT" \
    ZONEPLANE_NODE_ID="coldstart-$run" ZONEPLANE_ALLOW_PRIVATE_ORIGINS=true \
    java -Xmx128m -cp "$CP" ColdStartProbe "$TIMEOUT" "$ZP_PORT" "$HOST_HEADER" "$WORK/$name.log" \
      "$@" >"$WORK/probe-$run.out" 2>"$WORK/probe-$run.err" &
  PROBE=$!
  bench_track "$PROBE"
  if ! wait "$PROBE"; then
    cat "$WORK/probe-$run.err" >&2; tail -n 30 "$WORK/$name.log" >&2
    bench_fail "run $run: the node did not serve 200 from its disk cache"
  fi
}

if [[ "$LAUNCH" == "cds" ]]; then
  # Training start: the JVM writes the classes it loaded into app.jsa when it exits (SIGTERM after the
  # first 200 is a normal exit).
  start_node training node-training "${NODE[@]:0:1}" -XX:ArchiveClassesAtExit="$WORK/app.jsa" "${NODE[@]:1}"
  [[ -s "$WORK/app.jsa" ]] || { tail -n 20 "$WORK/node-training.log" >&2; bench_fail "the training start wrote no CDS archive"; }
  echo "CDS archive: $(stat -c %s "$WORK/app.jsa") bytes" >&2
  NODE=("${NODE[@]:0:1}" -XX:SharedArchiveFile="$WORK/app.jsa" -Xshare:auto "${NODE[@]:1}")
fi

TIMES=()
CPUS=()
BREAKDOWN=()
for run in $(seq 1 "$REPEAT"); do
  start_node "$run" "node-$run" "${NODE[@]}"
  ms="$(sed -n 's/.*first_200_ms=\([0-9.]*\).*/\1/p' "$WORK/probe-$run.out")"
  cpu="$(sed -n 's/.*cpu_ms=\(-\{0,1\}[0-9]*\).*/\1/p' "$WORK/probe-$run.out")"
  echo "run $run: first 200 after $ms ms, node CPU $cpu ms" >&2
  TIMES+=("$ms")
  CPUS+=("$cpu")
  # Where the time went, from the node's own log (HH:MM:SS.mmm, UTC) relative to the fork.
  start_epoch="$(sed -n 's/.*start_epoch_ms=\([0-9]*\).*/\1/p' "$WORK/probe-$run.out")"
  milestone() {
    awk -v s="$start_epoch" -v pat="$1" 'index($0, pat) {
        split($1, t, /[:.]/); ms = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4];
        printf "%d", ms - (s % 86400000); exit }' "$WORK/node-$run.log"
  }
  BREAKDOWN+=("| $run | $ms | $cpu | $(milestone 'from the disk cache') | $(milestone 'IP geolocation from') | $(milestone ' listening: ') |")
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
SORTED="$(printf '%s\n' "${TIMES[@]}" | sort -n)"
MIN="$(head -n1 <<<"$SORTED")"
MAX="$(tail -n1 <<<"$SORTED")"
MEDIAN="$(median <<<"$SORTED")"
CPU_MEDIAN="$(printf '%s\n' "${CPUS[@]}" | median)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "## Cold start from the disk cache: $ZONES zones ($(basename "$CACHE_FILE"), $(awk -v b="$CACHE_BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')), control plane unreachable"
echo
echo "Launch: \`${NODE[*]}\`" | sed "s#$WORK#\$WORK#g; s#-cp [^ ]*#-cp \$WORK/app/data-plane.jar:\$WORK/app/BOOT-INF/lib/*.jar#"
echo
echo "Process start -> first 200 through the proxy, $REPEAT runs: min $MIN ms, median $MEDIAN ms, max $MAX ms (all: ${TIMES[*]} ms)."
echo "Node CPU time (user + system) at its first 200: median $CPU_MEDIAN ms (all: ${CPUS[*]} ms). Load average at the end: $LOAD."
echo "(Measured from the fork of the JVM, so it includes JVM boot: stricter than 'after JVM start'.)"
echo
echo "Milestones in ms after the fork, from the node's log (millisecond log timestamps):"
echo
echo "| run | first 200 | node CPU | disk cache published | geo databases loaded | proxy listening |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${BREAKDOWN[@]}"

if [[ -n "$SUMMARY_FILE" ]]; then
  printf 'zones=%s\ncache_bytes=%s\nruns=%s\nmin_ms=%s\nmedian_ms=%s\nmax_ms=%s\nall_ms=%s\ncpu_median_ms=%s\nlaunch=%s\n' \
    "$ZONES" "$CACHE_BYTES" "$REPEAT" "$MIN" "$MEDIAN" "$MAX" "${TIMES[*]}" "$CPU_MEDIAN" "$LAUNCH" >"$SUMMARY_FILE"
fi
