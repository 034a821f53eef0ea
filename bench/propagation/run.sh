#!/usr/bin/env bash
# Propagation benchmark (SPEC §8): 100k zones, a real control plane on embedded PostgreSQL, three
# real ConfigSubscribers, setting changes at a steady rate. Prints p50/p90/p99/max commit -> applied
# on all subscribers and the retained heap per zone of a 100k-zone ZoneView. Not part of the tests.
#
#   bench/propagation/run.sh [zones] [changes-per-second] [seconds] [cache-write-interval-s]
#   (defaults: 100000 100 30 5)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$REPO_ROOT/bench/propagation/target"
cd "$REPO_ROOT"

# Compile the planes and their tests (the benchmark reuses the test helpers) and write the control
# plane's test classpath, which includes the data plane.
mvn -B -q -pl control-plane -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="control-plane/target/test-classes:control-plane/target/classes:$(cat control-plane/target/bench.classpath)"

mkdir -p "$OUT"
javac -q -d "$OUT" -cp "$CP" bench/propagation/src/*.java 2>/dev/null || javac -d "$OUT" -cp "$CP" bench/propagation/src/*.java
exec java -Xmx2g -XX:+UseG1GC -cp "$OUT:$CP" zoneplane.controlplane.distribution.PropagationBenchmark "$@"
