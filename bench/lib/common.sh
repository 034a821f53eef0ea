# Shared helpers for the bench scripts (sourced, not run). Loopback only; every process a script
# starts is recorded with bench_track and stopped by PID on exit, whatever the outcome.
# shellcheck shell=bash

BENCH_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_PIDS=()

bench_fail() { echo "${0##*/}: $*" >&2; exit 1; }

bench_track() { BENCH_PIDS+=("$1"); }

# Stops every tracked process: TERM, a bounded wait, then KILL.
bench_stop_all() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
}

bench_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# bench_wait_http URL PID LOG SECONDS [HOST]: bounded wait until URL answers 2xx.
bench_wait_http() {
  local url="$1" pid="$2" log="$3" seconds="$4" host="${5:-localhost}"
  for _ in $(seq 1 $((seconds * 10))); do
    curl -fsS -o /dev/null --max-time 1 -H "Host: $host" "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log" >&2; bench_fail "process $pid exited before $url answered (log: $log)"; }
    sleep 0.1
  done
  tail -n 40 "$log" >&2
  bench_fail "$url did not answer within ${seconds}s (log: $log)"
}

# The data plane's runtime classpath (written once per build) for the bench tools written in Java.
bench_dataplane_classpath() {
  local file="$BENCH_REPO_ROOT/data-plane/target/bench.classpath"
  if [[ ! -s "$file" || "$BENCH_REPO_ROOT/data-plane/pom.xml" -nt "$file" ]]; then
    (cd "$BENCH_REPO_ROOT" && mvn -B -q -pl data-plane -am dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime) >&2
  fi
  echo "$BENCH_REPO_ROOT/data-plane/target/classes:$(cat "$file")"
}

# bench_compile NAME: compiles bench/NAME/src/*.java into bench/NAME/target/classes against the data
# plane's classpath; prints the classpath to run them with.
bench_compile() {
  local name="$1" cp out
  cp="$(bench_dataplane_classpath)"
  out="$BENCH_REPO_ROOT/bench/$name/target/classes"
  [[ -d "$BENCH_REPO_ROOT/data-plane/target/classes/zoneplane" ]] \
    || bench_fail "data-plane classes missing: run mvn -B -q -DskipTests package first"
  mkdir -p "$out"
  javac -nowarn -d "$out" -cp "$cp" "$BENCH_REPO_ROOT"/bench/"$name"/src/*.java >&2 \
    || bench_fail "could not compile bench/$name/src"
  echo "$out:$cp"
}

# Heap used (bytes) of a JVM we started, after a full GC: jcmd GC.run, then GC.heap_info's "used".
bench_heap_used_after_gc() {
  local pid="$1"
  jcmd "$pid" GC.run >/dev/null 2>&1 || return 1
  jcmd "$pid" GC.heap_info 2>/dev/null | awk '
    /used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); print v * 1024; exit } }'
}

# Resident set size (bytes) of a process.
bench_rss() {
  awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"
}
