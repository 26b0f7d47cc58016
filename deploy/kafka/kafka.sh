#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) for development, tests and CI.
#
#   deploy/kafka/kafka.sh fetch    download the broker jars from Maven Central (once; reused afterwards)
#   deploy/kafka/kafka.sh start    fetch if needed, format storage on first run, start, wait until ready
#   deploy/kafka/kafka.sh stop     SIGTERM, wait for a clean shutdown (SIGKILL only after a timeout)
#   deploy/kafka/kafka.sh status   exit 0 and print the pid when running, exit 3 otherwise
#   deploy/kafka/kafka.sh reset    stop and delete all local broker data (topics, offsets)
#
# Test runs share one broker through leases (used by test/setup/kafka-global-setup.ts):
#   kafka.sh start --lease PID     start (or reuse) the broker on behalf of process PID
#   kafka.sh release PID           drop PID's lease; stop the broker only if it was started for a lease
#                                  (not by a plain `start`) and no live process holds a lease any more
#
# Broker: 127.0.0.1:19092 (KAFKA_PORT), controller: 127.0.0.1:19093 (KAFKA_CONTROLLER_PORT).
# Data and logs: deploy/kafka/.run/ (server.log there). Jars: deploy/kafka/.cache/libs/.
# Environment overrides: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HEAP_OPTS (default -Xms256m -Xmx768m),
# KAFKA_START_TIMEOUT_S (default 120), KAFKA_STOP_TIMEOUT_S (default 60), JAVA (default: java on PATH),
# KAFKA_RUN_DIR (default deploy/kafka/.run; a second broker needs its own run dir and ports).
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$DIR/.cache"
LIBS="$CACHE/libs"
RUN="${KAFKA_RUN_DIR:-$DIR/.run}"
DATA="$RUN/data"
CONF="$RUN/server.properties"
PIDFILE="$RUN/kafka.pid"
SERVER_LOG="$RUN/server.log"
JVM_OUT="$RUN/kafka.out"
LEASES="$RUN/leases"
MANUAL="$RUN/started-manually"

PORT="${KAFKA_PORT:-19092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m}"
START_TIMEOUT_S="${KAFKA_START_TIMEOUT_S:-120}"
STOP_TIMEOUT_S="${KAFKA_STOP_TIMEOUT_S:-60}"
JAVA="${JAVA:-java}"
BROKERS="127.0.0.1:$PORT"

say() { printf '[kafka] %s\n' "$*"; }
die() {
  printf '[kafka] ERROR: %s\n' "$*" >&2
  exit 1
}

# Lock so concurrent start/stop calls (parallel test runs, CI + a developer) serialise.
LOCKED=0
with_lock() {
  [[ $LOCKED -eq 1 ]] && return 0
  LOCKED=1
  mkdir -p "$RUN"
  exec 9>"$RUN/.lock"
  flock -w "$((START_TIMEOUT_S + 60))" 9 || die "timed out waiting for another kafka.sh to finish ($RUN/.lock)"
}

# Prints the pid of our broker when it is running, otherwise nothing (and cleans a stale pid file).
running_pid() {
  [[ -f "$PIDFILE" ]] || return 0
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $CONF"; then
    echo "$pid"
  else
    rm -f "$PIDFILE"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A fingerprint of pom.xml: changing the Kafka version there triggers a fresh download.
pom_hash() { sha256sum "$DIR/pom.xml" | cut -c1-16; }
libs_stamp() { echo "$LIBS/.complete-$(pom_hash)"; }

# Class-data sharing (AppCDS) roughly halves broker start time on a busy machine. The first broker run
# records the classes it loads into an archive, written when the JVM exits after `stop`; later runs map it.
# The JVM validates the archive against its classpath and version and ignores it on mismatch.
# KAFKA_CDS=0 disables this.
CDS_PENDING="$RUN/cds-pending"
cds_archive() { echo "$CACHE/kafka-$(pom_hash).jsa"; }
cds_flags() {
  CDS_FLAGS=()
  rm -f "$CDS_PENDING"
  [[ "${KAFKA_CDS:-1}" == "0" ]] && return 0
  local archive
  archive="$(cds_archive)"
  if [[ -s "$archive" ]]; then
    CDS_FLAGS=(-XX:SharedArchiveFile="$archive")
  else
    local dump="$archive.dumping-$$"
    rm -f "$dump"
    echo "$dump" >"$CDS_PENDING"
    CDS_FLAGS=(-XX:ArchiveClassesAtExit="$dump")
  fi
  CDS_FLAGS+=(-Xlog:cds=off -Xlog:cds+dynamic=off)
}
# After the broker exited: keep an archive it dumped on a clean exit ($1=1), discard it otherwise.
cds_settle() {
  [[ -f "$CDS_PENDING" ]] || return 0
  local dump
  dump="$(cat "$CDS_PENDING")"
  rm -f "$CDS_PENDING"
  if [[ "$1" == "1" && -s "$dump" ]]; then
    mv -f "$dump" "$(cds_archive)"
    say "saved a class-data archive for faster starts ($(cds_archive))"
  else
    rm -f "$dump"
  fi
}

cmd_fetch() {
  if [[ -f "$(libs_stamp)" ]]; then
    say "jars present in $LIBS (reused)"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn (Apache Maven) is required to download Kafka from Maven Central; install it (e.g. apt-get install maven)"
  local version
  version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$DIR/pom.xml")"
  say "downloading Apache Kafka $version and dependencies from Maven Central into $LIBS ..."
  local started=$SECONDS tmp="$LIBS.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$CACHE"
  if ! mvn -q -B -Dstyle.color=never -f "$DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp"; then
    rm -rf "$tmp"
    die "mvn could not download Kafka $version (network or Maven Central unreachable?); see the mvn output above"
  fi
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  touch "$(libs_stamp)"
  say "downloaded $(find "$LIBS" -name '*.jar' | wc -l) jars ($(du -sh "$LIBS" | cut -f1)) in $((SECONDS - started))s"
}

check_java() {
  command -v "$JAVA" >/dev/null || die "java (JDK/JRE 17+) is required to run Kafka 4.x; set JAVA or put java on PATH"
  local major
  major="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  [[ -n "$major" && "$major" -ge 17 ]] || die "Kafka 4.x needs Java 17 or newer; '$JAVA' is version '${major:-unknown}'"
}

write_config() {
  cat >"$CONF" <<EOF
# Generated by deploy/kafka/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
EOF
}

# The JVM command line shared by StorageTool and the broker (an array: paths may contain spaces).
java_cmd() {
  local heap
  read -r -a heap <<<"$HEAP_OPTS"
  JAVA_CMD=("$JAVA" "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    -Dkafka.logs.dir="$RUN" -Dlog4j2.configurationFile="$DIR/log4j2.properties" -cp "$LIBS/*")
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  local cluster_id
  cluster_id="$("${JAVA_CMD[@]}" kafka.tools.StorageTool random-uuid 2>>"$JVM_OUT")" ||
    die "could not generate a cluster id; see $JVM_OUT"
  say "formatting KRaft storage in $DATA (cluster id $cluster_id)"
  "${JAVA_CMD[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF" >>"$JVM_OUT" 2>&1 ||
    die "formatting storage failed; see $JVM_OUT"
}

# start [--lease PID]
cmd_start() {
  local lease=""
  if [[ "${1:-}" == "--lease" ]]; then
    [[ "${2:-}" =~ ^[0-9]+$ ]] || die "start --lease needs a numeric process id, got '${2:-}'"
    lease="$2"
  elif [[ -n "${1:-}" ]]; then
    die "unknown start option '$1' (valid: --lease PID)"
  fi
  with_lock
  if [[ -n "$lease" ]]; then
    mkdir -p "$LEASES"
    touch "$LEASES/$lease"
  fi
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    # A plain `start` pins an already running broker: leases will no longer stop it.
    [[ -z "$lease" ]] && touch "$MANUAL"
    say "already running (pid $pid) on $BROKERS"
    return 0
  fi
  if [[ -n "$lease" ]]; then rm -f "$MANUAL"; else touch "$MANUAL"; fi
  port_in_use "$PORT" && die "port $PORT is already in use by another process; stop it or set KAFKA_PORT"
  port_in_use "$CONTROLLER_PORT" && die "port $CONTROLLER_PORT is already in use; stop it or set KAFKA_CONTROLLER_PORT"
  check_java
  cmd_fetch
  command -v node >/dev/null || die "node is required for the readiness probe"
  mkdir -p "$DATA"
  : >"$JVM_OUT"
  write_config
  java_cmd
  format_storage
  local started=$SECONDS
  say "starting broker on $BROKERS (controller 127.0.0.1:$CONTROLLER_PORT, heap: $HEAP_OPTS), log: $SERVER_LOG"
  # setsid: the broker gets its own session so a Ctrl-C in the calling terminal does not kill it mid-write.
  cds_flags
  setsid "${JAVA_CMD[@]}" "${CDS_FLAGS[@]}" kafka.Kafka "$CONF" </dev/null >>"$JVM_OUT" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PIDFILE"
  local rc=0
  (cd "$DIR" && node probe.mjs "$BROKERS" "$((START_TIMEOUT_S * 1000))" "$pid") || rc=$?
  if [[ $rc -ne 0 ]]; then
    printf '[kafka] --- last lines of %s ---\n' "$SERVER_LOG" >&2
    tail -n 30 "$SERVER_LOG" >&2 2>/dev/null || true
    printf '[kafka] --- last lines of %s ---\n' "$JVM_OUT" >&2
    tail -n 30 "$JVM_OUT" >&2 2>/dev/null || true
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      sleep 2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    cds_settle 0
    die "broker did not become ready on $BROKERS within ${START_TIMEOUT_S}s (probe exit $rc)"
  fi
  say "ready on $BROKERS (pid $pid) after $((SECONDS - started))s"
}

cmd_stop() {
  with_lock
  local pid
  pid="$(running_pid)"
  if [[ -z "$pid" ]]; then
    say "not running"
    return 0
  fi
  say "stopping broker (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0 clean=1
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= STOP_TIMEOUT_S * 10)); then
      say "broker did not exit within ${STOP_TIMEOUT_S}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      clean=0
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$PIDFILE" "$MANUAL"
  cds_settle "$clean"
  say "stopped"
}

# release PID: drop a lease taken by `start --lease PID`, stopping the broker when nobody needs it.
cmd_release() {
  [[ "${1:-}" =~ ^[0-9]+$ ]] || die "release needs a numeric process id, got '${1:-}'"
  with_lock
  rm -f "$LEASES/$1"
  if [[ -z "$(running_pid)" ]]; then
    say "not running"
    return 0
  fi
  if [[ -f "$MANUAL" ]]; then
    say "left running (started with a plain 'kafka.sh start'; stop it with 'kafka.sh stop')"
    return 0
  fi
  local holders=() f
  for f in "$LEASES"/*; do
    [[ -e "$f" ]] || continue
    if kill -0 "$(basename "$f")" 2>/dev/null; then holders+=("$(basename "$f")"); else rm -f "$f"; fi
  done
  if ((${#holders[@]} > 0)); then
    say "left running (still leased by pid ${holders[*]})"
    return 0
  fi
  cmd_stop
}

cmd_status() {
  local pid
  pid="$(running_pid)"
  if [[ -n "$pid" ]]; then
    say "running (pid $pid) on $BROKERS; log: $SERVER_LOG"
    return 0
  fi
  say "not running"
  return 3
}

cmd_reset() {
  cmd_stop
  rm -rf "$DATA" "$CONF"
  say "local broker data deleted ($DATA)"
}

case "${1:-}" in
fetch) cmd_fetch ;;
start) cmd_start "${@:2}" ;;
release) cmd_release "${2:-}" ;;
stop) cmd_stop ;;
status) cmd_status ;;
reset) cmd_reset ;;
*)
  echo "usage: $0 {start [--lease PID]|stop|status|fetch|reset|release PID}" >&2
  exit 64
  ;;
esac
