#!/usr/bin/env sh
# How the data-plane image starts fast (SPEC §8 cold start); data-plane/Dockerfile runs both steps,
# the test zoneplane.dataplane.image.ImageLaunchIT and bench/coldstart/run.sh --image run the same.
#
#   cds-image.sh unpack EXEC_JAR DIR   (needs a JDK's jar tool: the Dockerfile's build stage)
#     The exec jar's contents as DIR/data-plane.jar (the node's classes; Main-Class DataPlaneMain and a
#     Class-Path naming lib/*.jar in its manifest) and DIR/lib/*.jar: a plain class path, which the
#     JVM loads without Spring Boot's nested-jar launcher and which AppCDS can archive. The same layout
#     as Spring Boot's `java -Djarmode=tools -jar app.jar extract`, which does not run on this jar (its
#     tools need spring-core, which the data plane does not ship).
#
#   cds-image.sh train DIR             (needs the runtime's java: run it in the final image stage)
#     A training start (zoneplane.dataplane.image.CdsTrainingRun): the node from DIR, started as the
#     image launches it plus -XX:ArchiveClassesAtExit, serves one request from a small generated disk
#     cache with its control plane unreachable and is stopped with SIGTERM; the JVM writes
#     DIR/data-plane.jsa as it exits. The archive fits only this JVM build and these jar files at
#     these paths, so train where the node will run, after the last change to DIR.
#
# The launch that uses it (the Dockerfile's ENTRYPOINT, with DIR=/app):
#   java -XX:SharedArchiveFile=DIR/data-plane.jsa -Xshare:auto -jar DIR/data-plane.jar
# -Xshare:auto: a missing or mismatched archive only costs speed, it never stops the node.
# JAVA_HOME, when set, chooses the jar and java commands; otherwise they come from PATH.
set -eu

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2
  exit 2
}

tool() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/$1" ]; then echo "$JAVA_HOME/bin/$1"; else echo "$1"; fi
}

unpack() {
  exec_jar="$1"
  dir="$2"
  [ -f "$exec_jar" ] || { echo "cds-image.sh: no exec jar at $exec_jar" >&2; exit 1; }
  exec_jar="$(cd "$(dirname "$exec_jar")" && pwd)/$(basename "$exec_jar")"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && "$(tool jar)" xf "$exec_jar" META-INF/MANIFEST.MF BOOT-INF)
  main_class="$(sed -n 's/^Start-Class: *\([^[:space:]]*\).*/\1/p' "$work/META-INF/MANIFEST.MF")"
  [ -n "$main_class" ] || { echo "cds-image.sh: $exec_jar names no Start-Class" >&2; exit 1; }
  mkdir -p "$dir/lib"
  # The class path in the launcher's order (BOOT-INF/classpath.idx); Spring Boot's own jar-mode
  # tools are left out (they only run with Spring on the class path).
  sed -n 's#^- "BOOT-INF/lib/\(.*\.jar\)"$#\1#p' "$work/BOOT-INF/classpath.idx" | grep -v '^spring-boot-jarmode-' >"$work/jars"
  while read -r jar; do mv "$work/BOOT-INF/lib/$jar" "$dir/lib/$jar"; done <"$work/jars"
  {
    echo "Manifest-Version: 1.0"
    echo "Main-Class: $main_class"
    # Class-Path on continuation lines (a manifest line holds at most 72 bytes): after the first,
    # each line's first space continues the value and its second separates the jars.
    awk 'NR == 1 { print "Class-Path: lib/" $0; next } { print "  lib/" $0 }' "$work/jars"
  } >"$work/MANIFEST.MF"
  rm -f "$dir/data-plane.jar"
  "$(tool jar)" --create --file "$dir/data-plane.jar" --manifest "$work/MANIFEST.MF" -C "$work/BOOT-INF/classes" .
  echo "cds-image.sh: unpacked $exec_jar into $dir ($(ls "$dir/lib" | wc -l) library jars)"
}

train() {
  dir="$(cd "$1" && pwd)"
  [ -f "$dir/data-plane.jar" ] || { echo "cds-image.sh: no $dir/data-plane.jar; run unpack first" >&2; exit 1; }
  java="$(tool java)"
  # A dynamic archive extends the JVM's base archive (lib/server/classes.jsa): make it if this JVM
  # came without one (needs write access to the JVM's directory, as at image build time).
  "$java" -Xshare:on -version >/dev/null 2>&1 || "$java" -Xshare:dump >/dev/null
  "$java" -cp "$dir/data-plane.jar" zoneplane.dataplane.image.CdsTrainingRun "$dir/data-plane.jsa" \
    "$java" -jar "$dir/data-plane.jar"
}

[ $# -ge 1 ] || usage
case "$1" in
  unpack) [ $# -eq 3 ] || usage; unpack "$2" "$3" ;;
  train) [ $# -eq 2 ] || usage; train "$2" ;;
  *) usage ;;
esac
