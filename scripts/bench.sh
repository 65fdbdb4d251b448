#!/usr/bin/env bash
# Portico's throughput benchmark, side by side with nginx and HAProxy, with the same CPU pinning.
# Run from anywhere: scripts/bench.sh [options]. --help explains everything; docs/performance.md
# ("How to measure") says how to read the result.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
Usage: scripts/bench.sh [--duration 10s] [--rounds 3] [--connections 32] [--warmup 15]
                        [--rate N [--pacing random|fixed] [--paced-warmup S]]
                        [--scenario FILE]... [--baseline DIR] [--upstream-tls]
                        [--close] [--quick] [--help]

Measures HTTP/1.1 throughput and latency with wrk through each of these subjects, all on 127.0.0.1:
  direct           wrk straight at the backend: the ceiling of the setup
  nginx            nginx proxy_pass, one worker, keep-alive upstream pool
  haproxy          HAProxy, one thread, http-reuse always
  portico          distribution/target/portico/bin/portico run, one route, access log off
  portico+NAME     the same with the plugins of scenario file NAME.yaml (one subject per --scenario)
  baseline         with --baseline DIR: DIR/bin/portico (another build, e.g. of an earlier commit)
                   on the plain route, to compare two builds within one run

Pinning: every proxy runs alone on CPU 0 (PROXY_CPU); the backend (nginx, one worker, a fixed
100-byte body) and wrk (one thread) share CPU 1 (LOAD_CPU). wrk and the backend on the same core
keep the proxy's core free of anything else, so the proxy is what is measured; the direct run
shows what that shared core can do at most.

Each subject is warmed first (Portico for --warmup seconds, for the JIT; the native ones for 2 s),
then, in the order of the rounds, 5 s more each, with --rate paced until the JIT is quiet again
(so that before round 1 a subject has been idle no longer than between rounds; after a minute
idle, Portico's first seconds of load run partly deoptimised),
then --rounds measured rounds are interleaved (round 1: direct, nginx, haproxy, portico...; round
2: the same) so that noise from the rest of the machine hits all subjects alike. All subjects stay
started (idle) while another one is measured. Reported per subject: median req/s over the rounds,
p50/p99 latency of the median round (wrk --latency), resident memory (VmRSS of the process and its
children) after the last round, non-2xx answers and socket errors, the ratio to nginx's median,
and the subject's CPU time per request in each round.
The Markdown table goes to standard output and to target/bench/<timestamp>.md; configurations
and logs of the run stay in target/bench/<timestamp>/.

Options:
  --duration D      wrk -d for each measured round (default 10s; env DURATION)
  --rounds N        measured rounds per subject (default 3; env ROUNDS)
  --connections N   wrk -c (default 32; env CONNECTIONS); wrk always uses one thread
  --warmup S        seconds of warm-up for Portico, not counted (default 15; env WARMUP)
  --rate N          measure latency at a fixed load instead of throughput: each connection waits
                    between its requests so that all together send about N req/s (wrk's delay()
                    hook). The warm-up runs flat out, then at the paced rate in windows of 10 s,
                    for Portico 70 s at least, until the subject's JIT compilers (C1, C2) used
                    under 20 ms of CPU in a window, at most --paced-warmup seconds: the JIT
                    compiled for a saturated selector recompiles much of the hot path when the
                    load first turns paced (a wave of "uncommon trap" deoptimisations, then
                    smaller ones for a minute or more), which a gateway at a steady load did long
                    ago, and on the proxy's one core a C2 compile keeps the selector off the CPU
                    for up to a scheduler tick (4 ms).
                    The report gives the JIT's CPU in each round, and adds each subject's p99
                    minus direct's p99 in the same round: the latency the proxy adds at that load.
                    Pick N well below every subject's saturation; the report gives the rate reached.
  --paced-warmup S  with --rate: the longest paced warm-up, in seconds (default 120, at least
                    70; env PACED_WARMUP). Portico's lasts 70 s or more, for the upstream
                    connections the flat-out load opened to idle out (60 s) while the JIT
                    watches; native subjects, which have no JIT, take one window
  --pacing P        with --rate: how long a connection waits after each answer. random (default):
                    drawn anew each time from an exponential distribution of mean
                    connections/rate, as independent clients' think times are, so arrivals are
                    Poisson-like. fixed: always connections/rate, so connections answered
                    together send together again and the proxy meets clumps of requests (the
                    method before 2026-12-03 19:30).
  --scenario FILE   add subject portico+<file name without .yaml>; repeatable
  --baseline DIR    add subject baseline: an unpacked Portico in DIR on the plain route
  --upstream-tls    every proxy reaches the backend over TLS (verified against a CA made for the
                    run, SNI backend.bench, kept connections): the backend also listens with TLS,
                    nginx uses proxy_ssl_verify, HAProxy verify required, Portico the upstream's
                    tls: (so a --baseline build must know tls:). direct stays in clear.
  --close           every request says Connection: close, so each one opens a new connection to
                    the proxy (clients without keep-alive: scripts, health checkers); the proxies'
                    upstream connections are still kept
  --quick           smoke check: 1 round of 5s after a 5s warm-up
  --help            this text

Scenario files (examples in scripts/bench/) are YAML with up to two top-level keys:
  plugins:     the route's plugin list, exactly as under a route in conf/portico.yaml
  consumers:   optional, copied as the top-level consumers section
and any number of comment lines telling wrk which request headers to send:
  # wrk-header: X-Api-Key: secret
and at most one telling it to POST a file (relative to the scenario's folder) instead of GET /:
  # wrk-body: order-10k.json
A scenario may use ${SCENARIO_DIR} (the folder of its file, for scripts it names), and a line
  # needs: redis-server
starts one redis-server (no persistence) on a free port on CPU LOAD_CPU, named by ${REDIS_PORT}.
Plugins named there must be in distribution/target/portico/plugins/ (bundled, or copied there).
Before measuring, the script checks that each subject answers 200 to wrk's request.

Environment: JAVA_HOME picks the JDK (21+; else the default java, else the newest under
/usr/lib/jvm); PORTICO_OPTS and PORTICO_HEAP pass through to bin/portico; MAVEN_OPTS to the build
of the distribution, which runs only when distribution/target/portico is missing. wrk, nginx and
haproxy are installed with apt-get when missing and the script runs as root.
EOF
}

DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-32}"
WARMUP="${WARMUP:-15}"
NATIVE_WARMUP=2
PROXY_CPU="${PROXY_CPU:-0}"
LOAD_CPU="${LOAD_CPU:-1}"
SCENARIOS=()
ARGS=("$@")

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

UPSTREAM_TLS=""
UPSTREAM_SCHEME=http
CLOSE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --upstream-tls) UPSTREAM_TLS=1; UPSTREAM_SCHEME=https; shift ;;
    --close) CLOSE=1; shift ;;
    --duration) DURATION="${2:?--duration needs a value}"; shift 2 ;;
    --rounds) ROUNDS="${2:?--rounds needs a value}"; shift 2 ;;
    --connections) CONNECTIONS="${2:?--connections needs a value}"; shift 2 ;;
    --warmup) WARMUP="${2:?--warmup needs a value}"; shift 2 ;;
    --rate) RATE="${2:?--rate needs a value}"; shift 2 ;;
    --paced-warmup) PACED_WARMUP="${2:?--paced-warmup needs a value}"; shift 2 ;;
    --pacing) PACING="${2:?--pacing needs random or fixed}"; shift 2 ;;
    --scenario) SCENARIOS+=("${2:?--scenario needs a file}"); shift 2 ;;
    --baseline) BASELINE_DIR="${2:?--baseline needs a folder}"; shift 2 ;;
    --quick) ROUNDS=1; DURATION=5s; WARMUP=5; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "--connections must be a positive number"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "--warmup must be a number of seconds"
RATE="${RATE:-}"
[[ -z "$RATE" || "$RATE" =~ ^[1-9][0-9]*$ ]] || die "--rate must be a positive number of requests per second"
PACING="${PACING:-random}"
PACED_WARMUP="${PACED_WARMUP:-120}"
[[ "$PACED_WARMUP" =~ ^[0-9]+$ ]] && [ "$PACED_WARMUP" -ge 70 ] || die "--paced-warmup must be a number of seconds, 70 or more"
[[ "$PACING" = random || "$PACING" = fixed ]] || die "--pacing must be random or fixed"
[[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "--duration must look like 10s, 1m"
for scenario in "${SCENARIOS[@]}"; do
  [ -f "$scenario" ] || die "no scenario file $scenario"
done

# ---------------------------------------------------------------- tools
APT_UPDATED=0
install_packages() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    return 1
  fi
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  local package
  for package in "$@"; do
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >&2; then return 0; fi
  done
  return 1
}

need() { # command, packages to try in order
  local command="$1"; shift
  command -v "$command" >/dev/null && return 0
  [ -x "/usr/sbin/$command" ] && return 0
  say "$command is missing; installing $*"
  install_packages "$@" || die "install $command (Debian/Ubuntu: apt-get install $1) or run as root"
}
need wrk wrk
need nginx nginx-light nginx
need haproxy haproxy
need taskset util-linux
PATH="$PATH:/usr/sbin"

[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (proxy on CPU $PROXY_CPU, wrk and backend on CPU $LOAD_CPU); this machine has $(nproc)"

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

# A JDK 21+: JAVA_HOME if it is one, else the default java, else the newest under /usr/lib/jvm.
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    return 0
  fi
  local javac_path
  if javac_path="$(command -v javac)"; then
    local home; home="$(dirname "$(dirname "$(readlink -f "$javac_path")")")"
    if [ "$(java_major "$home/bin/java")" -ge 21 ]; then JAVA_HOME="$home"; return 0; fi
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/*/; do
    [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java" || echo 0)"
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="${candidate%/}"; best_major="$major"; fi
  done
  if [ -n "$best" ]; then JAVA_HOME="$best"; return 0; fi
  return 1
}
if ! pick_jdk; then
  say "no JDK 21+ found; installing one"
  install_packages openjdk-21-jdk-headless openjdk-25-jdk-headless || die "install a JDK 21+ and set JAVA_HOME"
  pick_jdk || die "still no JDK 21+"
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

PORTICO_DIR=distribution/target/portico
if [ ! -x "$PORTICO_DIR/bin/portico" ]; then
  need mvn maven
  say "building the distribution (mvn -B -q -DskipTests package -pl distribution -am)"
  mvn -B -q -DskipTests package -pl distribution -am
fi
[ -x "$PORTICO_DIR/bin/portico" ] || die "no $PORTICO_DIR/bin/portico after the build"

# ---------------------------------------------------------------- processes and cleanup
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
WORK="$PWD/target/bench/$STAMP"
REPORT="$PWD/target/bench/$STAMP.md"
mkdir -p "$WORK"

PIDS=()
WRK_PID=""
cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  [ -z "$WRK_PID" ] || kill -TERM "$WRK_PID" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${PIDS[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive=1; fi; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [ "$status" = 0 ] || say "stopped (status $status); configurations and logs in $WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A TAKEN=()
free_port() { # variable name
  local candidate
  for _ in $(seq 200); do
    candidate=$((20000 + RANDOM % 40000))
    [ -n "${TAKEN[$candidate]:-}" ] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      TAKEN[$candidate]=1; printf -v "$1" '%s' "$candidate"; return 0
    fi
  done
  die "no free port found"
}

# GET / with the given header lines; prints the status code, or nothing.
probe() {
  local port="$1"; shift
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 0
    { printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n'
      local header; for header in "$@"; do printf '%s\r\n' "$header"; done
      printf '\r\n'; } >&3
    local line=""; IFS= read -r -t 5 line <&3 || true
    echo "$line" | awk '{print $2}'
  ) 2>/dev/null
}

wait_ready() { # name, pid, port, log
  for _ in $(seq 300); do
    kill -0 "$2" 2>/dev/null || { tail -20 "$4" >&2 || true; die "$1 exited while starting (log: $4)"; }
    [ -n "$(probe "$3")" ] && return 0
    sleep 0.2
  done
  die "$1 did not answer on port $3 within 60 s (log: $4)"
}

# A process and its descendants, one pid per line.
family() {
  local pid
  local -a queue=("$1")
  while [ ${#queue[@]} -gt 0 ]; do
    pid="${queue[0]}"; queue=("${queue[@]:1}")
    echo "$pid"
    # shellcheck disable=SC2207
    queue+=($(cat /proc/"$pid"/task/*/children 2>/dev/null || true))
  done
}

# Resident memory in MB of a process and its descendants.
rss_mb() {
  local total=0 pid kb
  for pid in $(family "$1"); do
    kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
    total=$((total + ${kb:-0}))
  done
  echo $((total / 1024))
}

# CPU time in clock ticks (user + system) of a process and its descendants so far.
cpu_ticks() {
  local total=0 pid ticks
  for pid in $(family "$1"); do
    # utime and stime, fields 14 and 15 of /proc/PID/stat, counted after the name (field 2), which may hold spaces
    ticks="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$pid/stat" 2>/dev/null || true)"
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}
CLOCK_TICKS="$(getconf CLK_TCK)"

# CPU time in clock ticks of the JIT compiler threads (HotSpot names them "C1 CompilerThread0",
# "C2 CompilerThread0" and so on) in a process and its descendants: 0 for a native subject.
jit_ticks() {
  local total=0 pid task ticks
  for pid in $(family "$1"); do
    for task in /proc/"$pid"/task/*; do
      case "$(cat "$task/comm" 2>/dev/null || true)" in
        C1\ CompilerThre*|C2\ CompilerThre*)
          ticks="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "$task/stat" 2>/dev/null || true)"
          total=$((total + ${ticks:-0})) ;;
      esac
    done
  done
  echo "$total"
}
# Milliseconds of JIT CPU since a jit_ticks count; a compiler thread that HotSpot retired in
# between takes its ticks along, so a negative difference counts as nothing.
jit_ms_since() { # pid, ticks before
  local ticks=$(( $(jit_ticks "$1") - $2 ))
  echo $(( ticks > 0 ? ticks * 1000 / CLOCK_TICKS : 0 ))
}

# ---------------------------------------------------------------- subjects
BODY="$(printf 'x%.0s' $(seq 99))"  # 99 bytes + newline = 100 bytes

start() { # name, cpu, log, command...
  local name="$1" cpu="$2" log="$3"; shift 3
  taskset -c "$cpu" "$@" >"$log" 2>&1 &
  PIDS+=("$!")
  STARTED_PID=$!
}

nginx_common() { # prefix folder
  cat <<EOF
worker_processes 1;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path $1/client_body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
EOF
}

free_port BACKEND_PORT
mkdir -p "$WORK/backend"
BACKEND_TLS=""
BACKEND_TLS_PORT=""
if [ -n "$UPSTREAM_TLS" ]; then
  # a CA and a certificate it signs for backend.bench, as an internal upstream would have
  need openssl openssl
  free_port BACKEND_TLS_PORT
  TLS="$WORK/tls"; mkdir -p "$TLS"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca \
    -keyout "$TLS/ca.key" -out "$TLS/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=backend.bench \
    -keyout "$TLS/backend.key" -out "$TLS/backend.csr" 2>/dev/null
  printf 'subjectAltName=DNS:backend.bench\n' >"$TLS/san.ext"
  openssl x509 -req -in "$TLS/backend.csr" -CA "$TLS/ca.pem" -CAkey "$TLS/ca.key" -CAcreateserial -days 2 \
    -extfile "$TLS/san.ext" -out "$TLS/backend.pem" 2>/dev/null
  BACKEND_TLS="  server {
    listen 127.0.0.1:$BACKEND_TLS_PORT ssl;
    ssl_certificate $TLS/backend.pem;
    ssl_certificate_key $TLS/backend.key;
    location / { default_type text/plain; return 200 \"$BODY\\n\"; }
  }"
fi
{ nginx_common "$WORK/backend"
  cat <<EOF
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location / { default_type text/plain; return 200 "$BODY\n"; }
  }
$BACKEND_TLS
}
EOF
} >"$WORK/backend/nginx.conf"
start backend "$LOAD_CPU" "$WORK/backend/out.log" nginx -p "$WORK/backend" -c "$WORK/backend/nginx.conf" -e "$WORK/backend/error.log"
BACKEND_PID=$STARTED_PID
wait_ready backend "$BACKEND_PID" "$BACKEND_PORT" "$WORK/backend/error.log"

SUBJECTS=(direct)
declare -A PORT=([direct]="$BACKEND_PORT") PID=([direct]="$BACKEND_PID") HEADERS=() WARM=([direct]="$NATIVE_WARMUP")

free_port port
PORT[nginx]=$port; mkdir -p "$WORK/nginx"
{ nginx_common "$WORK/nginx"
  cat <<EOF
  upstream backend {
    server 127.0.0.1:${BACKEND_TLS_PORT:-$BACKEND_PORT};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass $UPSTREAM_SCHEME://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";${UPSTREAM_TLS:+
      proxy_ssl_trusted_certificate $WORK/tls/ca.pem;
      proxy_ssl_verify on;
      proxy_ssl_name backend.bench;
      proxy_ssl_server_name on;}
    }
  }
}
EOF
} >"$WORK/nginx/nginx.conf"
start nginx "$PROXY_CPU" "$WORK/nginx/out.log" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log"
PID[nginx]=$STARTED_PID; WARM[nginx]=$NATIVE_WARMUP; SUBJECTS+=(nginx)

free_port port
PORT[haproxy]=$port; mkdir -p "$WORK/haproxy"
cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend bench
  bind 127.0.0.1:$port
  default_backend backend
backend backend
  server backend 127.0.0.1:${BACKEND_TLS_PORT:-$BACKEND_PORT}${UPSTREAM_TLS:+ ssl verify required ca-file $WORK/tls/ca.pem sni str(backend.bench) verifyhost backend.bench}
EOF
start haproxy "$PROXY_CPU" "$WORK/haproxy/out.log" haproxy -db -f "$WORK/haproxy/haproxy.cfg"
PID[haproxy]=$STARTED_PID; WARM[haproxy]=$NATIVE_WARMUP; SUBJECTS+=(haproxy)

# A scenario's top-level section (plugins or consumers), without comments, or nothing.
section() { # file, key
  awk -v key="$2" '
    /^[[:space:]]*#/ || /^[[:space:]]*$/ { next }
    /^[^[:space:]-]/ { inside = ($0 ~ "^" key ":") }
    inside { print }' "$1"
}

portico_yaml() { # port, scenario file or empty
  cat <<EOF
# generated by scripts/bench.sh
server:
  host: 127.0.0.1
  port: $1
  access-log:
    enabled: false
EOF
  if [ -n "$UPSTREAM_TLS" ]; then
    cat <<EOF
upstreams:
  backend:
    targets: [{ url: "https://127.0.0.1:$BACKEND_TLS_PORT" }]
    tls: { ca: "$WORK/tls/ca.pem", server-name: backend.bench }
routes:
  - id: bench
    match:
      paths: ["/**"]
    upstream: backend
EOF
  else
    cat <<EOF
routes:
  - id: bench
    match:
      paths: ["/**"]
    url: http://127.0.0.1:$BACKEND_PORT
EOF
  fi
  [ -n "$2" ] || return 0
  section "$2" plugins | sed 's/^/    /'
  section "$2" consumers
}

REDIS_PORT=""
REDIS_PID=""
declare -A USES_REDIS=() REDIS_CPU=()
start_redis() {
  [ -z "$REDIS_PORT" ] || return 0
  need redis-server redis-server
  free_port REDIS_PORT
  mkdir -p "$WORK/redis"
  start redis "$LOAD_CPU" "$WORK/redis/out.log" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --save "" --appendonly no --dir "$WORK/redis"
  REDIS_PID=$STARTED_PID
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
    sleep 0.1
  done
  export REDIS_PORT
}

start_portico() { # subject name, scenario file or empty, Portico folder (default PORTICO_DIR)
  local name="$1" scenario="$2" dir="${3:-$PORTICO_DIR}" folder="$WORK/$1" port
  free_port port
  mkdir -p "$folder"
  if [ -n "$scenario" ]; then
    SCENARIO_DIR="$(cd "$(dirname "$scenario")" && pwd)"
    export SCENARIO_DIR
    if grep -Eq '^[[:space:]]*#[[:space:]]*needs:[[:space:]]*redis-server' "$scenario"; then
      start_redis
      USES_REDIS[$name]=1
    fi
  fi
  portico_yaml "$port" "$scenario" >"$folder/portico.yaml"
  start "$name" "$PROXY_CPU" "$folder/out.log" "$dir/bin/portico" run --no-watch -c "$folder/portico.yaml"
  PORT[$name]=$port; PID[$name]=$STARTED_PID; WARM[$name]=$WARMUP; SUBJECTS+=("$name")
}

start_portico portico ""
if [ -n "${BASELINE_DIR:-}" ]; then
  [ -x "$BASELINE_DIR/bin/portico" ] || die "--baseline $BASELINE_DIR has no bin/portico"
  start_portico baseline "" "$BASELINE_DIR"
fi
for scenario in "${SCENARIOS[@]}"; do
  name="portico+$(basename "$scenario" .yaml)"
  [ -z "${PORT[$name]:-}" ] || die "two scenarios named $name"
  unknown="$(awk '/^[^[:space:]#-]/ && $0 !~ /^(plugins|consumers):/' "$scenario")"
  [ -z "$unknown" ] || die "$scenario: only plugins: and consumers: are allowed at the top level, not: $unknown"
  [ -n "$(section "$scenario" plugins)" ] || die "$scenario has no plugins: section"
  start_portico "$name" "$scenario"
  HEADERS[$name]="$(sed -n 's/^[[:space:]]*#[[:space:]]*wrk-header:[[:space:]]*//p' "$scenario")"
  body_file="$(sed -n 's/^[[:space:]]*#[[:space:]]*wrk-body:[[:space:]]*//p' "$scenario" | head -1)"
  if [ -n "$body_file" ]; then
    body_path="$(cd "$(dirname "$scenario")" && pwd)/$body_file"
    [ -f "$body_path" ] || die "$scenario: no wrk-body file $body_path"
    # wrk POSTs the file's bytes on every request
    printf 'local f = assert(io.open("%s", "rb"))\nwrk.body = f:read("*a")\nf:close()\nwrk.method = "POST"\n' \
      "$body_path" >"$WORK/$name/request.lua"
  fi
done

headers_of() { # subject -> HEADER_LINES array
  HEADER_LINES=()
  local line
  while IFS= read -r line; do if [ -n "$line" ]; then HEADER_LINES+=("$line"); fi; done <<<"${HEADERS[$1]:-}"
}

for name in "${SUBJECTS[@]}"; do
  mkdir -p "$WORK/$name"
  wait_ready "$name" "${PID[$name]}" "${PORT[$name]}" "$WORK/$name/out.log"
  headers_of "$name"
  status="$(probe "${PORT[$name]}" "${HEADER_LINES[@]}")"
  [ "$status" = 200 ] || die "$name answers $status, not 200, to GET / (see $WORK/$name/)"
done

# ---------------------------------------------------------------- measuring
run_wrk() { # subject, duration, output file, "paced" for --rate
  headers_of "$1"
  local -a header_args=()
  local line
  for line in "${HEADER_LINES[@]}"; do header_args+=(-H "$line"); done
  if [ -n "$CLOSE" ]; then header_args+=(-H "Connection: close"); fi
  # In the background, so that Ctrl-C stops the script at once; the trap then stops the rest.
  local -a script_args=()
  if [ "${4:-}" = paced ]; then
    paced_script "$1"
    script_args=(-s "$WORK/$1/paced.lua")
  elif [ -f "$WORK/$1/request.lua" ]; then
    script_args=(-s "$WORK/$1/request.lua")
  fi
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"$2" --latency "${header_args[@]}" "${script_args[@]}" \
    "http://127.0.0.1:${PORT[$1]}/" >"$3" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || die "wrk failed against $1: $(cat "$3")"
  WRK_PID=""
}

# The subject's request script plus a delay() that paces each connection: after each answer a
# connection waits CONNECTIONS/RATE seconds on average, so all of them together send about RATE
# req/s; with --pacing random the wait is drawn from an exponential distribution each time. wrk
# takes whole milliseconds: a random pick between the two nearest keeps the mean right.
paced_script() { # subject
  { if [ -f "$WORK/$1/request.lua" ]; then cat "$WORK/$1/request.lua"; fi
    printf 'local gap = %s\n' "$(awk -v c="$CONNECTIONS" -v r="$RATE" 'BEGIN { printf "%.3f", c * 1000 / r }')"
    if [ "$PACING" = random ]; then
      printf 'function delay()\n  local wait = -gap * math.log(1 - math.random())\n'
      printf '  local low = math.floor(wait)\n  if math.random() < wait - low then return low + 1 end\n  return low\nend\n'
    else
      printf 'local low = math.floor(gap)\n'
      printf 'function delay()\n  if math.random() < gap - low then return low + 1 end\n  return low\nend\n'
    fi
    # The tail in finer steps than wrk's 50/75/90/99, to tell a few long stalls from a wide spread.
    printf 'function done(summary, latency, requests)\n'
    printf '  for _, p in ipairs({95, 98, 99, 99.5, 99.9}) do\n'
    printf '    io.write(string.format("tail %%s%%%% %%d us\\n", p, latency:percentile(p)))\n  end\nend\n'
  } >"$WORK/$1/paced.lua"
}

# Milliseconds from a wrk latency such as 312.00us, 1.23ms, 1.01s.
to_ms() {
  awk -v value="$1" 'BEGIN {
    if (value ~ /us$/) { sub(/us$/, "", value); printf "%.2f", value / 1000 }
    else if (value ~ /ms$/) { sub(/ms$/, "", value); printf "%.2f", value }
    else if (value ~ /m$/) { sub(/m$/, "", value); printf "%.2f", value * 60000 }
    else { sub(/s$/, "", value); printf "%.2f", value * 1000 } }'
}

say "work folder $WORK"
say "subjects: ${SUBJECTS[*]}; $ROUNDS round(s) of $DURATION, $CONNECTIONS connections"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# Paced load in windows of 10 s, at least $2 seconds, then until the subject's JIT used under
# 20 ms of CPU in a window (0.2% of it), at most $3 seconds; sets WARMED to what it took.
warm_paced() { # subject, shortest, longest, output file
  local waited=0 jit_before jit_ms
  while :; do
    jit_before="$(jit_ticks "${PID[$1]}")"
    run_wrk "$1" 10s "$4" paced
    waited=$((waited + 10))
    jit_ms="$(jit_ms_since "${PID[$1]}" "$jit_before")"
    say "warming $1 at the paced rate: ${waited} s, its JIT used $jit_ms ms of CPU in the last 10 s"
    if { [ "$jit_ms" -lt 20 ] && [ "$waited" -ge "$2" ]; } || [ "$waited" -ge "$3" ]; then break; fi
  done
  WARMED="$waited s (JIT $jit_ms ms in the last 10 s)"
}

declare -A PACED_WARM=() AGAIN_WARM=()
AGAIN="${RATE:+paced until its JIT was quiet again (10 to 30 s)}"
AGAIN="${AGAIN:-5 s more}"
for name in "${SUBJECTS[@]}"; do
  say "warming $name for ${WARM[$name]} s"
  run_wrk "$name" "${WARM[$name]}s" "$WORK/$name/warmup.txt"
  if [ -n "$RATE" ]; then
    # Portico's at least 70 s, so that the upstream connections the flat-out load opened and the
    # paced load leaves idle reach their 60 s keep-alive (Portico's keep-alive-timeout, the
    # backend's keepalive_timeout) within the warm-up rather than between rounds.
    shortest=10
    if [[ "$name" == portico* || "$name" == baseline ]]; then shortest=70; fi
    warm_paced "$name" "$shortest" "$PACED_WARMUP" "$WORK/$name/warmup-paced.txt"
    PACED_WARM[$name]="$WARMED"
  fi
done
# The first warmed subject has then been idle for minutes, longer than the upstream keep-alive
# (60 s): its upstream connections have closed, and the load that follows takes paths the JIT has
# not compiled (reconnecting, a meter's window rolling over), which deoptimises the hot path for
# a second or so and cost Portico's first round a p99 of 4 to 6 ms. A gateway under steady load
# has long been through that, so each subject gets 5 s more, in the order of the rounds: before
# round 1 it has been idle as long as it will be between rounds. Paced, that first load after an
# idle set off a wave of recompiles (uncommon traps in UpstreamConnection and in the pool's
# ConcurrentLinkedDeque.unlink, PrintCompilation showed) that fell into round 1 in three runs of
# six (220 to 420 ms of JIT), so then it lasts until the JIT is quiet again, 10 to 30 s.
for name in "${SUBJECTS[@]}"; do
  if [ -n "$RATE" ]; then
    say "warming $name again, paced, just before the rounds"
    warm_paced "$name" 10 30 "$WORK/$name/warmup-again.txt"
    AGAIN_WARM[$name]="$WARMED"
  else
    say "warming $name again for 5 s, just before the rounds"
    run_wrk "$name" 5s "$WORK/$name/warmup-again.txt"
  fi
done

declare -A RESULTS=() ERRORS=() RSS=() CPU=() JIT=()
for round in $(seq "$ROUNDS"); do
  for name in "${SUBJECTS[@]}"; do
    out="$WORK/$name/round-$round.txt"
    ticks_before="$(cpu_ticks "${PID[$name]}")"
    redis_before="$(if [ -n "$REDIS_PID" ]; then cpu_ticks "$REDIS_PID"; else echo 0; fi)"
    jit_before="$(jit_ticks "${PID[$name]}")"
    run_wrk "$name" "$DURATION" "$out" "${RATE:+paced}"
    JIT[$name]+="$(jit_ms_since "${PID[$name]}" "$jit_before")"$'\n'
    ticks_after="$(cpu_ticks "${PID[$name]}")"
    redis_after="$(if [ -n "$REDIS_PID" ]; then cpu_ticks "$REDIS_PID"; else echo 0; fi)"
    requests="$(awk '/requests in/ {print $1}' "$out")"
    if [ -n "${USES_REDIS[$name]:-}" ]; then
      REDIS_CPU[$name]+="$(awk -v t=$((redis_after - redis_before)) -v hz="$CLOCK_TICKS" -v n="${requests:-0}" \
        'BEGIN { if (n > 0) printf "%.1f", t * 1000000 / hz / n; else print "?" }')"$'\n'
    fi
    CPU[$name]+="$(awk -v t=$((ticks_after - ticks_before)) -v hz="$CLOCK_TICKS" -v n="${requests:-0}" \
      'BEGIN { if (n > 0) printf "%.1f", t * 1000000 / hz / n; else print "?" }')"$'\n'
    rps="$(awk '/^Requests\/sec:/ {printf "%d", $2}' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
    non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
    socket="$(awk '/Socket errors:/ {for (i = 3; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n + 0}' "$out")"
    RESULTS[$name]+="$rps $p50 $p99"$'\n'
    ERRORS[$name]=$(( ${ERRORS[$name]:-0} + ${non2xx:-0} + ${socket:-0} ))
    RSS[$name]="$(rss_mb "${PID[$name]}")"
    say "round $round/$ROUNDS  $name: $rps req/s, p50 $p50 ms, p99 $p99 ms"
  done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# The round with the median req/s (the lower middle one for an even count): "req/s p50 p99".
median_round() { sort -n <<<"${RESULTS[$1]%$'\n'}" | sed -n "$(( (ROUNDS + 1) / 2 ))p"; }
describe() { # subject
  case "$1" in
    direct) echo "none: wrk → backend directly (ceiling)" ;;
    nginx) echo "nginx $(nginx -v 2>&1 | sed 's|.*/||'), 1 worker, proxy_pass, keep-alive pool" ;;
    haproxy) echo "HAProxy $(haproxy -v | awk 'NR==1 {print $3}' | cut -d- -f1), 1 thread, http-reuse always" ;;
    portico) echo "Portico, one route, no plugins, access log off" ;;
    baseline) echo "the same, built from $BASELINE_DIR" ;;
    *) echo "Portico with scenario ${1#portico+}" ;;
  esac
}
nginx_median="$(median_round nginx | cut -d' ' -f1)"
# One number per round from a subject's and another's results of that round ("req/s p50 p99", the
# field'th of each as $1 and $2 in the awk expression), comma-separated.
per_round() { # subject, other subject, field, awk expression
  paste -d' ' <(awk -v f="$3" 'NF {print $f}' <<<"${RESULTS[$1]}") <(awk -v f="$3" 'NF {print $f}' <<<"${RESULTS[$2]}") |
    awk "{printf \"%s%.2f\", sep, ($4); sep = \", \"}"
}
fmt() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

{
  echo "# Proxy throughput, $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "- Machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), load average $LOAD_BEFORE before, $LOAD_AFTER after"
  echo "- Command: \`scripts/bench.sh ${ARGS[*]:-}\` ($ROUNDS round(s) of $DURATION, interleaved; wrk -t1 -c$CONNECTIONS; warm-up ${WARMUP} s for Portico, $NATIVE_WARMUP s for the others${RATE:+, then paced until its JIT was quiet (Portico 70 to $PACED_WARMUP s)}, then $AGAIN for each just before the rounds)"
  echo "- Pinning: each proxy on CPU $PROXY_CPU; wrk and the backend (nginx, 1 worker, 100-byte body) on CPU $LOAD_CPU"
  if [ -n "$CLOSE" ]; then
    echo "- New connection per request (--close): wrk sends Connection: close on every request; upstream connections are kept"
  fi
  if [ -n "$UPSTREAM_TLS" ]; then
    echo "- Upstream over TLS (--upstream-tls): each proxy verifies the backend's certificate (a CA made for the run, RSA 2048, SNI backend.bench) and keeps its connections; direct is wrk to the backend in clear"
  fi
  echo "- Portico: $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($(git status --porcelain 2>/dev/null | grep -q . && echo 'with local changes' || echo clean)), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1), PORTICO_HEAP=${PORTICO_HEAP:-192m (default)}, PORTICO_OPTS=${PORTICO_OPTS:-(none)}"
  echo
  if [ -n "$RATE" ]; then
    echo "- Paced: each connection waits between requests ($PACING waits, --pacing), for about $RATE req/s in all (--rate); throughput ratios say nothing here, the latency columns do"
    echo
  fi
  echo "| proxy on CPU $PROXY_CPU | req/s (median) | req/s per round | p50 | p99 | RSS | errors | ratio to nginx | ratio per round | to plain Portico per round | CPU µs per request, per round |${RATE:+ p99 added: less direct p99, per round |}"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |${RATE:+ --- |}"
  for name in "${SUBJECTS[@]}"; do
    read -r rps p50 p99 <<<"$(median_round "$name")"
    rounds="$(awk 'NF {printf "%s%s", sep, $1; sep=", "}' <<<"${RESULTS[$name]}")"
    ratio="$(awk -v a="$rps" -v b="$nginx_median" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "?" }')"
    if [ "$name" = nginx ]; then ratio="1.00"; fi
    # Each round against nginx's run of the same round: noise that hit both cancels out.
    paired="$(per_round "$name" nginx 1 '$2 > 0 ? $1 / $2 : 0')"
    to_portico="-"
    if [[ "$name" == portico+* || "$name" == baseline ]]; then
      to_portico="$(per_round "$name" portico 1 '$2 > 0 ? $1 / $2 : 0')"
    fi
    cpu="$(awk 'NF {printf "%s%s", sep, $1; sep=", "}' <<<"${CPU[$name]}")"
    added=""
    if [ -n "$RATE" ]; then
      # each round's p99 less direct's p99 of the same round, in ms
      added=" $(per_round "$name" direct 3 '$1 - $2') ms |"
    fi
    echo "| \`$name\`: $(describe "$name") | $(fmt "$rps") | $rounds | $p50 ms | $p99 ms | ${RSS[$name]} MB | ${ERRORS[$name]} | $ratio | $paired | $to_portico | $cpu |$added"
  done
  if [ -n "$RATE" ]; then
    echo
    echo "Paced warm-up, and the JIT compilers' CPU in each round (ms; the proxy's one core also runs them):"
    for name in "${SUBJECTS[@]}"; do
      if [[ "$name" == portico* || "$name" == baseline ]]; then
        echo "- \`$name\`: warmed paced ${PACED_WARM[$name]}, again ${AGAIN_WARM[$name]}; JIT per round $(awk 'NF {printf "%s%s", sep, $1; sep=", "}' <<<"${JIT[$name]}")"
      fi
    done
  fi
  for name in "${SUBJECTS[@]}"; do
    if [ -n "${USES_REDIS[$name]:-}" ]; then
      echo
      echo "redis-server's own CPU µs per request of \`$name\`, per round (on CPU $LOAD_CPU, beside wrk and the backend): $(awk 'NF {printf "%s%s", sep, $1; sep=", "}' <<<"${REDIS_CPU[$name]}")"
    fi
  done
  echo
  echo "p50/p99 are from the median round; RSS is after the last round (process and children); errors are non-2xx answers plus socket errors over all rounds; \"ratio to nginx\" divides the medians, \"ratio per round\" divides each round by nginx's run of the same round, \"to plain Portico\" by plain Portico's; CPU per request is the subject's user and system time (process and children; for direct, the backend's) over the round's requests, which the rest of a busy host disturbs less than req/s."
} | tee "$REPORT"
say "report: $REPORT"
