"""Reads `perf sched timehist` on stdin (one line per switch-in: time, [cpu], task[tid/pid], wait, sch
delay, run time) and prints, for the request-serving threads of one target, Markdown table rows:

  percentiles  | target | threads | wake-ups | p50 | p99 | p99.9 | max delay ms |
  blame        | target | threads | long waits | their sum ms | who ran meanwhile (ms) |

A wake-up's delay is from the thread being woken to it running; a "long wait" is one over 0.25 ms, and
for those the tasks that ran on that CPU meanwhile are summed by name.

usage: sched_report.py percentiles|blame LABEL NODE_TIDS PROXY_PIDS ORIGIN_PIDS
"""
import bisect
import collections
import sys

LONG_WAIT_MS = 0.25
mode, label = sys.argv[1], sys.argv[2]
ids = {kind: set(sys.argv[i].split()) for kind, i in (("node", 3), ("proxy", 4), ("origin", 5))}
names = {"node": "Zoneplane event loops", "proxy": "nginx proxy", "origin": "nginx origin"}

delays = collections.defaultdict(list)  # group -> delays (ms)
long_waits = collections.defaultdict(list)  # group -> (cpu, from, to) in ms
runs = collections.defaultdict(list)  # cpu -> (start, end, task name) in ms
for line in sys.stdin:
    parts = line.split()
    if len(parts) < 6 or not parts[1].startswith("["):
        continue
    try:
        end, cpu = float(parts[0]) * 1000, int(parts[1].strip("[]"))
        delay, run = float(parts[-2]), float(parts[-1])
    except ValueError:
        continue
    task = " ".join(parts[2:-3])
    name, bracket, tid = task.rpartition("[")
    if not bracket:  # <idle>
        name, tid = task, ""
    tid = tid.rstrip("]").split("/")[0]
    start = end - run
    runs[cpu].append((start, end, name))
    kind = next((k for k in ("node", "proxy", "origin") if tid in ids[k]), None)
    if kind is None or (kind == "node" and not name.startswith("zoneplane-edge")):
        continue
    delays[names[kind]].append(delay)
    if delay > LONG_WAIT_MS:
        long_waits[names[kind]].append((cpu, start - delay, start))

if mode == "percentiles":
    for group, values in sorted(delays.items()):
        values.sort()
        at = lambda q: values[min(len(values) - 1, int(len(values) * q))]
        print("| %s | %s | %d | %.3f | %.3f | %.3f | %.3f |"
              % (label, group, len(values), at(0.5), at(0.99), at(0.999), values[-1]))
else:
    for cpu in runs:
        runs[cpu].sort()
    for group, waits in sorted(long_waits.items()):
        held = collections.Counter()
        for cpu, since, until in waits:
            ran = runs[cpu]
            for start, end, name in ran[max(0, bisect.bisect_left(ran, (since - 100,))):]:
                if start > until:
                    break
                overlap = min(end, until) - max(start, since)
                if overlap > 0:
                    held[name] += overlap
        who = ", ".join("%s %.1f" % (name, ms) for name, ms in held.most_common(5))
        print("| %s | %s | %d | %.1f | %s |" % (label, group, len(waits), sum(u - s for _, s, u in waits), who))
