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

# bench_pin_tree CPUS PID: moves every thread of PID and of its child processes to CPUS (taskset).
bench_pin_tree() {
  local cpus="$1" pid
  for pid in $(bench_process_tree "$2"); do
    taskset -a -pc "$cpus" "$pid" >/dev/null
  done
}

# bench_process_tree PID: PID and every process below it (an nginx master and its workers).
bench_process_tree() {
  local child
  echo "$1"
  for child in $(pgrep -P "$1" || true); do
    bench_process_tree "$child"
  done
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

# bench_control_plane JAR WORK PORT OPERATOR_TOKEN SECONDS: starts the control-plane jar on 127.0.0.1:PORT,
# profile local (embedded PostgreSQL in WORK/data), node token "bench-node-OPERATOR_TOKEN", the per-token
# rate limit raised (not off, so its cost is measured with the rest); waits until ready; sets CP_PID.
bench_control_plane() {
  local jar="$1" work="$2" port="$3" operator="$4" seconds="$5"
  SPRING_PROFILES_ACTIVE=local SERVER_PORT="$port" ZONEPLANE_BOOTSTRAP_TOKEN="$operator" \
    ZONEPLANE_NODE_TOKEN="bench-node-$operator" ZONEPLANE_DATA_DIR="$work/data" \
    java ${JAVA_OPTS:-} -Dzoneplane.rate-limit.requests=1000000000 -jar "$jar" >"$work/control-plane.log" 2>&1 &
  CP_PID=$!
  bench_track "$CP_PID"
  bench_wait_http "http://127.0.0.1:$port/actuator/health/readiness" "$CP_PID" "$work/control-plane.log" "$seconds"
}

# bench_dataplane_classpath [SCOPE]: the data plane's classpath in Maven scope SCOPE (runtime unless
# given; test adds the test-only libraries such as grpc-java), written once per build, for the bench
# tools written in Java.
bench_dataplane_classpath() {
  local scope="${1:-runtime}" file
  file="$BENCH_REPO_ROOT/data-plane/target/bench.classpath"
  [[ "$scope" == runtime ]] || file="$BENCH_REPO_ROOT/data-plane/target/bench-$scope.classpath"
  if [[ ! -s "$file" || "$BENCH_REPO_ROOT/data-plane/pom.xml" -nt "$file" ]]; then
    # compile first: without a phase, the reactor cannot lend shared-model's classes to the data plane
    # and Maven looks for an installed jar, which a fresh machine does not have.
    (cd "$BENCH_REPO_ROOT" && mvn -B -q -pl data-plane -am compile dependency:build-classpath \
        -Dmdep.outputFile="$file" -Dmdep.includeScope="$scope") >&2
  fi
  echo "$BENCH_REPO_ROOT/data-plane/target/classes:$(cat "$file")"
}

# bench_compile NAME [SCOPE]: compiles bench/NAME/src/*.java into bench/NAME/target/classes against the
# data plane's classpath (Maven scope SCOPE, runtime unless given); prints the classpath to run them with.
bench_compile() {
  local name="$1" cp out
  cp="$(bench_dataplane_classpath "${2:-runtime}")"
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

# bench_nginx_geo_ranges FILE: writes nginx geo ranges (IPv4 → country) for CF-IPCountry: the full
# table of Debian's tor-geoipdb when installed, else two sample ranges; sets BENCH_GEO_SOURCE.
bench_nginx_geo_ranges() {
  local geo="$1"
  if [[ -r /usr/share/tor/geoip ]]; then
    # The full IPv4 table of Debian's tor-geoipdb as nginx geo ranges, so nginx does the same lookup
    # work as Zoneplane's CF-IPCountry (nginx's geo ranges are IPv4 only; the benchmark is IPv4).
    awk -F, '!/^#/ && NF == 3 {
        cc = ($3 == "??") ? "XX" : toupper($3);
        printf "%d.%d.%d.%d-%d.%d.%d.%d %s;\n",
          int($1/16777216), int($1/65536)%256, int($1/256)%256, $1%256,
          int($2/16777216), int($2/65536)%256, int($2/256)%256, $2%256, cc }' /usr/share/tor/geoip >"$geo"
    BENCH_GEO_SOURCE="/usr/share/tor/geoip ($(wc -l <"$geo") ranges)"
  else
    printf '1.0.0.0-1.0.0.255 AU;\n8.8.8.0-8.8.8.255 US;\n' >"$geo"
    BENCH_GEO_SOURCE="2 sample ranges (install tor-geoipdb for the full table)"
  fi
}

# bench_nginx_proxy DIR PORT ORIGIN_PORT HOST [LISTEN_FLAGS] [SERVER_DIRECTIVES]: writes DIR/nginx.conf,
# nginx (1 worker) as a Cloudflare-like reverse proxy on 127.0.0.1:PORT doing the same header work as
# Zoneplane with all settings on (CF-IPCountry from Debian's tor-geoipdb when installed, CF-Ray,
# CDN-Loop and 508, identity headers, keep-alive upstream). LISTEN_FLAGS are added to that listen
# (e.g. http2), SERVER_DIRECTIVES to its server block (e.g. a second, TLS listen and its certificate).
# Sets BENCH_GEO_SOURCE to what the country table came from.
bench_nginx_proxy() {
  local dir="$1" port="$2" origin_port="$3" host="$4" listen_flags="${5:-}" server_directives="${6:-}"
  mkdir -p "$dir"
  local geo="$dir/geo-ranges.conf"
  bench_nginx_geo_ranges "$geo"

cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_max_body_size 500m;           # the zone's max_upload
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;

  upstream origin {
    server 127.0.0.1:$origin_port;
    keepalive 128;                     # pooled keep-alive connections to the origin
  }

  geo \$remote_addr \$cf_ipcountry {   # CF-IPCountry
    ranges;
    default XX;
    include $geo;
  }
  map \$request_id \$cf_ray {          # CF-Ray: 16 hex characters and the node name
    "~^(?<ray>.{16})" "\${ray}-nginx";
  }
  map \$http_cdn_loop \$cdn_loop {     # CDN-Loop (RFC 8586): append ourselves
    ""      "zoneplane";
    default "\$http_cdn_loop, zoneplane";
  }
  map \$http_cdn_loop \$looped {        # too many passes through us: 508
    "~(zoneplane.*){5}" 1;
    default 0;
  }
  map \$http_upgrade \$connection_upgrade {  # websockets=on; empty keeps the upstream keep-alive
    default upgrade;
    ""      "";
  }

  server {
    listen 127.0.0.1:$port reuseport backlog=4096 $listen_flags;
    server_name $host;
    $server_directives

    location / {
      if (\$looped) { return 508; }
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Host \$host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      # visitor identity; setting these also drops any visitor-supplied value (anti-spoofing)
      proxy_set_header CF-Connecting-IP \$remote_addr;
      proxy_set_header CF-Connecting-IPv6 "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header CF-Visitor '{"scheme":"\$scheme"}';
      proxy_set_header CF-Ray \$cf_ray;
      proxy_set_header CF-IPCountry \$cf_ipcountry;
      proxy_set_header Cf-Pseudo-IPv4 "";        # IPv4 visitor: pseudo_ipv4 adds nothing
      proxy_set_header True-Client-IP \$remote_addr;
      proxy_set_header CDN-Loop \$cdn_loop;
      add_header CF-Ray \$cf_ray always;
    }
  }
}
EOF
}

# bench_zone_snapshot FILE HOST ORIGIN_PORT: writes the snapshot a benchmarked node serves: one
# Enterprise zone named HOST with every setting on, its origin on 127.0.0.1:ORIGIN_PORT.
bench_zone_snapshot() {
  cat >"$1" <<EOF
{"revision":1,"zones":[{"id":"0b5e11c0ffee0b5e11c0ffee0b5e11c0","name":"$2","plan":"enterprise","origin":"http://127.0.0.1:$3","paused":false,"settings":{"websockets":"on","ip_geolocation":"on","ipv6":"on","pseudo_ipv4":"add_header","opportunistic_onion":"on","grpc":"on","true_client_ip_header":"on","max_upload":500}}]}
EOF
}

# bench_nginx_origin DIR PORT NGINX: starts nginx (1 worker, tracked) on 127.0.0.1:PORT answering a
# small fixed body that shows the identity headers it received, and waits until it answers.
bench_nginx_origin() {
  local dir="$1" port="$2" nginx="$3"
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type text/plain;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port reuseport backlog=4096;
    location / {
      return 200 "origin saw: ip=\$http_cf_connecting_ip country=\$http_cf_ipcountry ray=\$http_cf_ray xff=\$http_x_forwarded_for loop=\$http_cdn_loop\n";
    }
  }
}
EOF
  "$nginx" -c "$dir/nginx.conf" -p "$dir" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
  bench_track $!
  bench_wait_http "http://127.0.0.1:$port/" "$!" "$dir/error.log" 10
}

# bench_tls_cert DIR HOST: a throwaway self-signed P-256 certificate for HOST (DIR/cert.pem, and its
# PKCS#8 key DIR/key.pem), for the TLS listeners of nginx and the node.
bench_tls_cert() {
  mkdir -p "$1"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$2" \
    -addext "subjectAltName=DNS:$2" -keyout "$1/key.pem" -out "$1/cert.pem" >/dev/null 2>&1 \
    || bench_fail "openssl could not make a test certificate"
}

# bench_start_node DIR SNAPSHOT PORT MANAGEMENT_PORT [VAR=VALUE...]: starts the data-plane jar
# ($BENCH_JAR or data-plane-exec.jar, JAVA_OPTS honoured) serving SNAPSHOT on 127.0.0.1:PORT, log in
# DIR/node.log, the extra environment given; tracks it, waits for readiness, sets BENCH_NODE_PID.
bench_start_node() {
  local dir="$1" snapshot="$2" port="$3" mgmt="$4" jar="${BENCH_JAR:-$BENCH_REPO_ROOT/data-plane/target/data-plane-exec.jar}"
  shift 4
  [[ -f "$jar" ]] || bench_fail "data-plane jar not found at $jar; build it: mvn -B -q -DskipTests package"
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  env ZONEPLANE_SNAPSHOT_FILE="$snapshot" ZONEPLANE_HTTP_PORT="$port" ZONEPLANE_MANAGEMENT_PORT="$mgmt" \
    ZONEPLANE_CACHE_DIR="$dir/cache" "$@" java ${JAVA_OPTS:-} -jar "$jar" >"$dir/node.log" 2>&1 &
  BENCH_NODE_PID=$!
  bench_track "$BENCH_NODE_PID"
  bench_wait_http "http://127.0.0.1:$mgmt/health/readiness" "$BENCH_NODE_PID" "$dir/node.log" 90
}

# bench_start_nginx DIR PORT: starts nginx on DIR/nginx.conf (checked first), tracked, and waits (at
# most 60 s: with the full geo table nginx compiles its binary range base first) until 127.0.0.1:PORT
# accepts connections; sets BENCH_NGINX_PID.
bench_start_nginx() {
  local nginx
  nginx="$(command -v nginx || echo /usr/sbin/nginx)"
  "$nginx" -t -q -c "$1/nginx.conf" -p "$1" -e "$1/error.log" || bench_fail "nginx rejected $1/nginx.conf"
  "$nginx" -c "$1/nginx.conf" -p "$1" -e "$1/error.log" >"$1/stdout.log" 2>&1 &
  BENCH_NGINX_PID=$!
  bench_track "$BENCH_NGINX_PID"
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return 0
    kill -0 "$BENCH_NGINX_PID" 2>/dev/null || { tail -n 20 "$1/error.log" >&2; bench_fail "nginx exited (log: $1/error.log)"; }
    sleep 0.1
  done
  bench_fail "nginx did not listen on 127.0.0.1:$2 within 60 s (log: $1/error.log)"
}

# bench_cpu_ticks PID...: CPU time (user + system, clock ticks) of the given processes so far.
bench_cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
  done
  echo "$total"
}

# bench_median VALUE...: the median of the numbers given (the lower middle one for an even count).
bench_median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# bench_min VALUE...: the smallest of the numbers given (the worst round of a higher-is-better ratio).
bench_min() {
  printf '%s\n' "$@" | sort -g | head -n 1
}

# bench_ratio A B: A / B with 2 decimals, n/a when B is not positive.
bench_ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'
}

# bench_install_missing COMMAND=PACKAGE...: installs the Debian packages of the commands not on PATH.
bench_install_missing() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%=*}" >/dev/null || [[ -x "/usr/sbin/${pair%%=*}" ]] || missing+=("${pair#*=}")
  done
  [[ ${#missing[@]} -eq 0 ]] && return
  [[ "$(id -u)" == 0 ]] || bench_fail "missing ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  echo "installing ${missing[*]} ..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# bench_alternate ROUNDS FUNCTION TARGET...: calls FUNCTION TARGET ROUND for every target in every
# round, in the given order on odd rounds and reversed on even ones, so that a drift of the machine
# over the run (other work starting, a JIT still compiling) does not favour one target.
bench_alternate() {
  local rounds="$1" fn="$2" round i
  shift 2
  local targets=("$@")
  for round in $(seq 1 "$rounds"); do
    if (( round % 2 == 1 )); then
      for (( i = 0; i < ${#targets[@]}; i++ )); do "$fn" "${targets[$i]}" "$round"; done
    else
      for (( i = ${#targets[@]} - 1; i >= 0; i-- )); do "$fn" "${targets[$i]}" "$round"; done
    fi
  done
}
