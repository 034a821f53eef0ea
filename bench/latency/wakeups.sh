#!/usr/bin/env bash
# Wake-ups and system calls per request of each proxy at a constant rate: counts, not times, so they
# hold on a shared, noisy machine. The same constant-rate load (src/FixedRateLoad.java) runs against
# the nginx proxy of bench/proxy and bench/latency and against one Zoneplane node per jar given (e.g.
# main's and a branch's), all at once on the same origin, each measured alone (the others SIGSTOPped),
# in alternating rounds. Per target and round it reads, for a fixed number of requests:
#   - from /proc/PID/task/*/{status,stat} before and after: voluntary context switches (a thread went
#     to sleep, so it had to be woken: one wake-up each), involuntary ones, and CPU time, per thread
#     group (event loops vs the JVM's other threads by name);
#   - from `perf stat --per-thread` (syscall tracepoints): epoll_wait returns, reads, writes (an
#     eventfd wake-up of a Netty loop is a write too), writev, timerfd_settime, futex, epoll_ctl.
# Loopback only, bounded (rounds x targets x duration), every process stopped by PID on exit.
#
#   bench/latency/wakeups.sh [--rate RPS] [--duration S] [--rounds N] [--connections N]
#                            [--jit-warmup S] [--no-perf] LABEL=JAR[:VAR=VALUE...] ...
#
# Defaults: 6000 rps, 10 s, 3 rounds, 32 connections, 20 s closed-loop JIT warm-up per node.
# Without a LABEL=JAR argument the worktree's data-plane/target/data-plane-exec.jar is measured.
# VAR=VALUE after the jar set that node's environment (e.g. one=main.jar:ZONEPLANE_EVENT_LOOPS=1);
# the script's own environment (e.g. ZONEPLANE_ACCESS_LOG=json) reaches every node.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RATE=6000
DURATION=10
ROUNDS=3
CONNECTIONS=32
JIT_WARMUP=20
PERF=1
HOST_HEADER="bench.test"
JARS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rate) RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --jit-warmup) JIT_WARMUP="$2"; shift 2 ;;
    --no-perf) PERF=0; shift ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *=*) JARS+=("$1"); shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
for value in "$RATE" "$DURATION" "$ROUNDS" "$CONNECTIONS" "$JIT_WARMUP"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "numbers must be whole and positive, got '$value'" >&2; exit 2; }
done
(( RATE >= 1 && DURATION >= 1 && DURATION <= 120 && ROUNDS >= 1 && ROUNDS <= 9 && CONNECTIONS >= 1 \
   && CONNECTIONS <= 1024 && JIT_WARMUP <= 120 )) \
  || { echo "need rate >= 1, duration 1..120, rounds 1..9, connections 1..1024, JIT warm-up <= 120" >&2; exit 2; }
(( ${#JARS[@]} )) || JARS=("zoneplane=${BENCH_JAR:-$BENCH_REPO_ROOT/data-plane/target/data-plane-exec.jar}")
jar_of() { local rest="${1#*=}"; echo "${rest%%:*}"; }
for entry in "${JARS[@]}"; do
  [[ -f "$(jar_of "$entry")" ]] || bench_fail "jar not found: $(jar_of "$entry")"
  [[ "${entry%%=*}" =~ ^[a-z0-9_-]+$ ]] || bench_fail "labels are lower-case letters, digits, - and _: ${entry%%=*}"
done
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || bench_fail "nginx is needed (apt-get install nginx-light)"
command -v wrk >/dev/null || bench_fail "wrk is needed for the JIT warm-up"
if (( PERF )) && ! perf stat -e syscalls:sys_enter_epoll_wait -p $$ -- true >/dev/null 2>&1; then
  echo "perf cannot count syscall tracepoints here: /proc counts only (or pass --no-perf)" >&2
  PERF=0
fi

CP="$(bench_compile latency)"
WORK="$(mktemp -d /tmp/zoneplane-wakeups.XXXXXX)"
chmod 755 "$WORK"
declare -A PIDS PORTS
TARGETS=(nginx)
resume_all() { local t; for t in "${TARGETS[@]}"; do kill -CONT ${PIDS[$t]:-} 2>/dev/null || true; done; }
trap 'resume_all; bench_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

ORIGIN_PORT="$(bench_free_port)"
bench_nginx_origin "$WORK/origin" "$ORIGIN_PORT" "$NGINX"
PORTS[nginx]="$(bench_free_port)"
bench_nginx_proxy "$WORK/proxy" "${PORTS[nginx]}" "$ORIGIN_PORT" "$HOST_HEADER"
"$NGINX" -c "$WORK/proxy/nginx.conf" -p "$WORK/proxy" -e "$WORK/proxy/error.log" >"$WORK/proxy/stdout.log" 2>&1 &
bench_track $!
NGINX_MASTER=$!
bench_wait_http "http://127.0.0.1:${PORTS[nginx]}/" "$NGINX_MASTER" "$WORK/proxy/error.log" 10 "$HOST_HEADER"
# The worker serves every request; the master only sleeps.
PIDS[nginx]="$(pgrep -P "$NGINX_MASTER" | head -n 1)"

for entry in "${JARS[@]}"; do
  label="${entry%%=*}" jar="$(jar_of "$entry")"
  rest="${entry#*=}"
  IFS=: read -r -a node_env <<<"${rest:${#jar}+1}"
  dir="$WORK/$label"
  mkdir -p "$dir"
  bench_zone_snapshot "$dir/snapshot.json" "$HOST_HEADER" "$ORIGIN_PORT"
  PORTS[$label]="$(bench_free_port)"
  mgmt="$(bench_free_port)"
  ZONEPLANE_SNAPSHOT_FILE="$dir/snapshot.json" ZONEPLANE_HTTP_PORT="${PORTS[$label]}" \
  ZONEPLANE_MANAGEMENT_PORT="$mgmt" ZONEPLANE_CACHE_DIR="$dir/cache" \
    env ${node_env[@]+"${node_env[@]}"} java ${JAVA_OPTS:-} -jar "$jar" >"$dir/stdout.log" 2>&1 &
  bench_track $!
  PIDS[$label]=$!
  TARGETS+=("$label")
  bench_wait_http "http://127.0.0.1:$mgmt/health/readiness" "$!" "$dir/stdout.log" 60
  bench_wait_http "http://127.0.0.1:${PORTS[$label]}/" "$!" "$dir/stdout.log" 10 "$HOST_HEADER"
done

# threads PID: one line per thread: group, voluntary and involuntary switches, CPU ticks. Groups: the
# node's event loops ("loop"), the nginx worker ("worker"), else the thread's name without digits.
threads() {
  local task name group
  for task in /proc/"$1"/task/*; do
    name="$(cat "$task/comm" 2>/dev/null)" || continue
    case "$name" in
      zoneplane-edge*) group=loop ;;
      nginx) group=worker ;;
      *) group="$(tr -d '0-9' <<<"$name" | tr ' ' '_')" ;;
    esac
    awk -v g="$group" -v stat="$(cut -d')' -f2- "$task/stat" 2>/dev/null)" '
      /^voluntary_ctxt_switches/ { v = $2 } /^nonvoluntary_ctxt_switches/ { n = $2 }
      END { split(stat, f, " "); print g, v, n, f[12] + f[13] }' "$task/status" 2>/dev/null || true
  done
}

EVENTS="syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_epoll_pwait2,syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_enter_recvfrom,syscalls:sys_enter_sendto,syscalls:sys_enter_timerfd_settime,syscalls:sys_enter_futex,syscalls:sys_enter_epoll_ctl"
TICKS="$(getconf CLK_TCK)"
RESULTS="$WORK/results"
: >"$RESULTS"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for label in "${TARGETS[@]:1}"; do
  echo "JIT warm-up of $label: ${JIT_WARMUP}s closed loop" >&2
  wrk -t2 -c64 -d"${JIT_WARMUP}s" -H "Host: $HOST_HEADER" "http://127.0.0.1:${PORTS[$label]}/" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    for other in "${TARGETS[@]}"; do [[ "$other" == "$target" ]] || kill -STOP "${PIDS[$other]}"; done
    pid="${PIDS[$target]}"
    # One second of load first, unmeasured, so that every connection is open and warm.
    java -Xmx128m -cp "$CP" FixedRateLoad "${PORTS[$target]}" "$RATE" 1 0 "$CONNECTIONS" "$HOST_HEADER" >/dev/null
    threads "$pid" >"$WORK/before"
    perf_pid=""
    if (( PERF )); then
      perf stat --per-thread -x, -e "$EVENTS" -p "$pid" -o "$WORK/perf" &
      perf_pid=$!
      sleep 0.3
    fi
    line="$(java -Xmx128m -cp "$CP" FixedRateLoad "${PORTS[$target]}" "$RATE" "$DURATION" 0 "$CONNECTIONS" "$HOST_HEADER")"
    threads "$pid" >"$WORK/after"
    if [[ -n "$perf_pid" ]]; then
      kill -INT "$perf_pid"; wait "$perf_pid" || true
    fi
    requests="$(tr ' ' '\n' <<<"$line" | awk -F= '$1 == "requests" { print $2 }')"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    # Per group: switches and CPU per request (the thread list is the same before and after; a thread
    # born meanwhile counts from zero).
    python3 - "$WORK/before" "$WORK/after" "$target" "$round" "$requests" "$TICKS" "$load" "$WORK/perf" "$PERF" >>"$RESULTS" <<'EOF'
import collections, sys
before_f, after_f, target, rnd, req, ticks, load, perf_f, perf_on = sys.argv[1:]
req, ticks = int(req), int(ticks)
def read(path):
    rows = collections.Counter()
    for line in open(path):
        g, v, n, c = line.split()
        rows[(g, "vol")] += int(v); rows[(g, "invol")] += int(n); rows[(g, "cpu")] += int(c)
    return rows
delta = read(after_f); delta.subtract(read(before_f))
groups = sorted({g for g, _ in delta})
main_group = "loop" if "loop" in groups else "worker"
out = {"target": target, "round": rnd, "requests": req, "load": load}
out["wakeups_main"] = delta[(main_group, "vol")] / req
out["invol_main"] = delta[(main_group, "invol")] / req
others = {g: delta[(g, "vol")] for g in groups if g != main_group and delta[(g, "vol")] > 0}
out["wakeups_other"] = sum(others.values()) / req
out["other_top"] = ";".join("%s:%.3f" % (g, v / req) for g, v in sorted(others.items(), key=lambda x: -x[1])[:4])
out["cpu_us"] = sum(delta[(g, "cpu")] for g in groups) * 1e6 / ticks / req
if perf_on == "1":
    calls = collections.Counter()
    for line in open(perf_f):
        parts = line.strip().split(",")
        if len(parts) < 4 or not parts[1].strip().isdigit():
            continue
        thread, count, event = parts[0], int(parts[1]), parts[3]
        name = thread.rsplit("-", 1)[0]
        if name.startswith("zoneplane-edge") or name == "nginx":
            calls[event.split("sys_enter_")[-1]] += count
    # epoll_wait, epoll_pwait or epoll_pwait2, whichever the program uses; reads and writes whatever their call
    out["sc_epoll"] = (calls["epoll_wait"] + calls["epoll_pwait"] + calls["epoll_pwait2"]) / req
    out["sc_reads"] = (calls["read"] + calls["recvfrom"]) / req
    out["sc_writes"] = (calls["write"] + calls["writev"] + calls["sendto"]) / req
    for k in ("write", "timerfd_settime", "futex", "epoll_ctl"):
        out["sc_" + k] = calls[k] / req
print(" ".join("%s=%s" % (k, ("%.3f" % v) if isinstance(v, float) else v) for k, v in out.items()))
EOF
    echo "round $round/$ROUNDS $target: $(tail -n 1 "$RESULTS")" >&2
    for other in "${TARGETS[@]}"; do kill -CONT "${PIDS[$other]}"; done
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

echo "## Wake-ups and system calls per request at $RATE rps, ${DURATION}s x $ROUNDS rounds, $CONNECTIONS connections"
echo
echo "Medians over the rounds, per request. 'main' threads: the node's event loops, the nginx worker."
echo "System calls counted on those threads only. Load average per round in the last column."
echo
python3 - "$RESULTS" <<'EOF'
import collections, statistics, sys
rows = collections.defaultdict(list)
order = []
for line in open(sys.argv[1]):
    kv = dict(p.split("=", 1) for p in line.split())
    if kv["target"] not in rows:
        order.append(kv["target"])
    rows[kv["target"]].append(kv)
cols = [("wakeups_main", "loop wake-ups"), ("invol_main", "preempted"), ("wakeups_other", "other threads' wake-ups"),
        ("cpu_us", "CPU us"), ("sc_epoll", "epoll waits"), ("sc_reads", "reads"), ("sc_writes", "writes"),
        ("sc_write", "of which write(2)"), ("sc_timerfd_settime", "timerfd_settime"), ("sc_futex", "futex"), ("sc_epoll_ctl", "epoll_ctl")]
cols = [c for c in cols if c[0] in rows[order[0]][0]]
print("| target | requests/round | " + " | ".join(c[1] for c in cols) + " | busiest other threads (wake-ups/request) | load |")
print("|---|---:|" + "---:|" * len(cols) + "---|---|")
for t in order:
    rs = rows[t]
    med = lambda k: statistics.median(float(r[k]) for r in rs)
    top = rs[len(rs) // 2]["other_top"]
    print("| %s | %d | %s | %s | %s |" % (t, med("requests"), " | ".join("%.3f" % med(c[0]) if c[0] != "cpu_us" else "%.1f" % med(c[0]) for c in cols),
                                           top, ", ".join(r["load"] for r in rs)))
EOF
