#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) on
# 127.0.0.1, without Docker. For development, tests and CI only.
#
#   deploy/local/kafka.sh start     # download once, format once, start, wait until ready
#   deploy/local/kafka.sh stop      # SIGTERM, up to 20 s, then SIGKILL
#   deploy/local/kafka.sh status    # prints state; exit 0 running, 3 stopped
#   deploy/local/kafka.sh topics ARGS...   # kafka-topics against this broker,
#                                          # e.g. topics --list
#
# Environment (all optional):
#   GTWATCH_LOCAL_DIR      state root (default <repo>/.local); Kafka uses ./kafka
#   KAFKA_PORT             broker port (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default 9093)
#   KAFKA_START_TIMEOUT    seconds to wait for readiness (default 90)
#   KAFKA_HEAP_OPTS        broker heap (default "-Xms256m -Xmx512m")
#   KAFKA_OPTS             extra JVM options for the broker
#   KAFKA_LIBS_DIR         run the Kafka jars already downloaded there (absolute path,
#                          e.g. <repo>/.local/kafka/libs) instead of <state>/kafka/libs;
#                          never downloaded into: a second broker reuses the first one's jars
#   JAVA                   java binary (default: java on PATH)
set -euo pipefail

# shellcheck disable=SC2034 # used by lib.sh
LOG_PREFIX=kafka
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# Keep in step with kafka.version in deploy/local/kafka/pom.xml.
KAFKA_VERSION=3.9.1

KAFKA_PORT_FROM_ENV="${KAFKA_PORT:-}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_OPTS="${KAFKA_OPTS:-}"
JAVA="${JAVA:-java}"

K_DIR="$GTWATCH_LOCAL_DIR/kafka"
LIBS_DIR="${KAFKA_LIBS_DIR:-$K_DIR/libs}"
LIBS_MARKER="$LIBS_DIR/.gtwatch-kafka-version"
CONF_DIR="$K_DIR/config"
DATA_DIR="$K_DIR/data"
LOG_DIR="$K_DIR/logs"
PID_FILE="$K_DIR/kafka.pid"
PORTS_FILE="$K_DIR/kafka.ports"
SERVER_PROPS="$CONF_DIR/server.properties"
SERVER_LOG="$LOG_DIR/server.log"
STDOUT_LOG="$LOG_DIR/kafka.out"
PROBE_LOG="$LOG_DIR/readiness-probe.log"
POM="$LOCAL_SCRIPTS_DIR/kafka/pom.xml"
# Appears in the broker's command line and nowhere else: identifies our pid.
PROC_MARKER="kafka.Kafka $SERVER_PROPS"

# JVM options for short-lived command-line tools (StorageTool, topics): start fast.
TOOL_JVM_OPTS=(-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$CONF_DIR/tools-log4j.properties")

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

validate_env() {
  require_port KAFKA_PORT "$KAFKA_PORT"
  require_port KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  [[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] ||
    die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both are $KAFKA_PORT)"
  require_uint KAFKA_START_TIMEOUT "$KAFKA_START_TIMEOUT"
  if [[ -n "${KAFKA_LIBS_DIR:-}" && "$KAFKA_LIBS_DIR" != /* ]]; then
    die "KAFKA_LIBS_DIR='$KAFKA_LIBS_DIR' must be an absolute path"
  fi
}

# Download the jars once. A marker holding the version makes every later start
# skip Maven entirely; a different version in the marker triggers a re-download.
ensure_libs() {
  if [[ -f "$LIBS_MARKER" && "$(cat "$LIBS_MARKER")" == "$KAFKA_VERSION" ]]; then
    return 0
  fi
  # Someone else's download (another state dir's broker owns it and its lock): use it, never replace it.
  [[ -z "${KAFKA_LIBS_DIR:-}" ]] ||
    die "KAFKA_LIBS_DIR=$KAFKA_LIBS_DIR holds no Kafka $KAFKA_VERSION jars (no $LIBS_MARKER with that version); start the broker that owns it once (deploy/local/kafka.sh start), or unset KAFKA_LIBS_DIR to download into $K_DIR/libs"
  require_cmd mvn "Maven 3.8+ is needed once, to download Kafka $KAFKA_VERSION from Maven Central (apt-get install maven)"
  [[ -f "$POM" ]] || die "missing $POM"
  mkdir -p "$LOG_DIR"
  local tmp="$K_DIR/libs.partial" mvn_log="$LOG_DIR/maven-download.log"
  rm -rf "$tmp"
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR (one time; log: $mvn_log)"
  if ! mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    log_tail "$mvn_log" 40
    rm -rf "$tmp"
    die "Maven could not download Kafka $KAFKA_VERSION (mvn dependency:copy-dependencies -f $POM failed); see $mvn_log"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" && -f "$tmp/kafka-tools-$KAFKA_VERSION.jar" ]] ||
    die "Maven finished but $tmp lacks kafka_2.13-$KAFKA_VERSION.jar / kafka-tools-$KAFKA_VERSION.jar (does $POM pin $KAFKA_VERSION?)"
  printf '%s\n' "$KAFKA_VERSION" >"$tmp/.gtwatch-kafka-version"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  log "Kafka $KAFKA_VERSION: $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS_DIR" | cut -f1)"
}

# Regenerated on every start, so port changes take effect. The KRaft quorum is
# static (controller.quorum.voters), so a changed controller port is fine too.
write_config() {
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"
  cat >"$SERVER_PROPS" <<EOF
# Generated by deploy/local/kafka.sh on every start - edits are overwritten.
# Single-node KRaft (combined broker + controller) for local dev/tests only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${DATA_DIR}

# test friendly: one replica everywhere, no rebalance delay, explicit topics
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true

# small machine (2 cores)
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
EOF

  cat >"$CONF_DIR/log4j.properties" <<'EOF'
# Generated by deploy/local/kafka.sh. Broker logs go to files under kafka.logs.dir.
log4j.rootLogger=INFO, kafkaAppender
log4j.appender.kafkaAppender=org.apache.log4j.RollingFileAppender
log4j.appender.kafkaAppender.File=${kafka.logs.dir}/server.log
log4j.appender.kafkaAppender.MaxFileSize=50MB
log4j.appender.kafkaAppender.MaxBackupIndex=2
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.controllerAppender=org.apache.log4j.RollingFileAppender
log4j.appender.controllerAppender.File=${kafka.logs.dir}/controller.log
log4j.appender.controllerAppender.MaxFileSize=20MB
log4j.appender.controllerAppender.MaxBackupIndex=1
log4j.appender.controllerAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.controllerAppender.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.stateChangeAppender=org.apache.log4j.RollingFileAppender
log4j.appender.stateChangeAppender.File=${kafka.logs.dir}/state-change.log
log4j.appender.stateChangeAppender.MaxFileSize=20MB
log4j.appender.stateChangeAppender.MaxBackupIndex=1
log4j.appender.stateChangeAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.stateChangeAppender.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.kafka.controller=INFO, controllerAppender
log4j.additivity.kafka.controller=false
log4j.logger.org.apache.kafka.controller=INFO, controllerAppender
log4j.additivity.org.apache.kafka.controller=false
log4j.logger.state.change.logger=INFO, stateChangeAppender
log4j.additivity.state.change.logger=false
log4j.logger.kafka.log.LogCleaner=INFO
log4j.logger.kafka.authorizer.logger=WARN
EOF

  cat >"$CONF_DIR/tools-log4j.properties" <<'EOF'
# Generated by deploy/local/kafka.sh: command-line tools log warnings to stderr.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF

}

# Kafka's Uuid text form: 16 random bytes, base64url without padding. Like
# Kafka's own generator, never start with '-' (it would look like an option).
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && ${#id} -eq 22 ]] && break
  done
  printf '%s' "$id"
}

# Format the storage once, with a fresh cluster id (meta.properties = formatted).
ensure_formatted() {
  [[ -f "$DATA_DIR/meta.properties" ]] && return 0
  local cluster_id fmt_log="$LOG_DIR/storage-format.log"
  cluster_id="$(new_cluster_id)"
  log "formatting KRaft storage in $DATA_DIR (cluster id $cluster_id)"
  if ! "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIBS_DIR/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$SERVER_PROPS" --ignore-formatted >"$fmt_log" 2>&1; then
    log_tail "$fmt_log" 40
    die "formatting Kafka storage failed (kafka.tools.StorageTool format); see $fmt_log"
  fi
}

# Readiness: a real Kafka Metadata request (v0, which 3.9 still serves), sent
# from bash over /dev/tcp so that no JVM has to start for each attempt. Ready
# when the reply lists at least one broker and the first one is on our port.
# (The broker accepts connections only once it is unfenced.)
probe_kafka() {
  local result
  # shellcheck disable=SC2016 # expanded by the inner bash
  result="$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    # size 27 | api_key 3 | version 0 | correlation id 7 | client id | [] = all topics
    printf "\x00\x00\x00\x1b\x00\x03\x00\x00\x00\x00\x00\x07\x00\x0dgtwatch-probe\x00\x00\x00\x00" >&3
    size_hex="$(dd bs=4 count=1 iflag=fullblock status=none <&3 | od -An -v -tx1 | tr -d " \n")"
    [[ ${#size_hex} -eq 8 ]] || exit 1
    size=$((16#$size_hex))
    ((size > 12 && size < 67108864)) || exit 1
    hex="$(dd bs="$size" count=1 iflag=fullblock status=none <&3 | od -An -v -tx1 | tr -d " \n")"
    [[ ${#hex} -eq $((size * 2)) && ${hex:0:8} == 00000007 ]] || exit 1
    brokers=$((16#${hex:8:8}))
    ((brokers >= 1)) || exit 1
    hostlen=$((16#${hex:24:4}))
    port=$((16#${hex:$((28 + hostlen * 2)):8}))
    echo "metadata v0 ok: brokers=$brokers first=node $((16#${hex:16:8})) port $port"
    ((port == $0))
  ' "$KAFKA_PORT" 2>/dev/null)" || {
    # connection refused (not listening yet) leaves no output: nothing to log
    [[ -z "$result" ]] || printf '%s not ready: %s\n' "$(date -u +%FT%TZ)" "$result" >>"$PROBE_LOG"
    return 1
  }
  printf '%s %s\n' "$(date -u +%FT%TZ)" "$result" >>"$PROBE_LOG"
}

cmd_start() {
  validate_env
  require_cmd "$JAVA" "Java 17 is needed to run Kafka (apt-get install openjdk-17-jre-headless)"
  take_lock "$K_DIR/.lock"
  local pid
  if pid="$(running_pid "$PID_FILE" "$PROC_MARKER")"; then
    require_same_ports Kafka "$PORTS_FILE" KAFKA_PORT KAFKA_CONTROLLER_PORT
    log "already running (pid $pid); checking it answers on 127.0.0.1:$KAFKA_PORT"
    WAIT_READY_STOP_ON_TIMEOUT=0
    wait_ready "Kafka" "$PID_FILE" "$PROC_MARKER" "$SERVER_LOG"$'\n'"$STDOUT_LOG" "$KAFKA_START_TIMEOUT" probe_kafka
    return 0
  fi
  rm -f "$PID_FILE"
  ensure_libs
  require_port_free Kafka KAFKA_PORT "$KAFKA_PORT"
  require_port_free "Kafka (controller)" KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  write_config
  ensure_formatted
  : >"$PROBE_LOG"
  save_ports "$PORTS_FILE" KAFKA_PORT KAFKA_CONTROLLER_PORT
  mark_log "$SERVER_LOG"
  : >"$STDOUT_LOG" # JVM-level output of this run only (crashes, OOM)
  local -a heap opts
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  read -r -a opts <<<"$KAFKA_OPTS"
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT); logs in $LOG_DIR"
  start_daemon "$PID_FILE" "$STDOUT_LOG" \
    "$JAVA" "${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dkafka.logs.dir=$LOG_DIR" \
    "-Dlog4j.configuration=file:$CONF_DIR/log4j.properties" \
    "${opts[@]}" -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS"
  wait_ready "Kafka" "$PID_FILE" "$PROC_MARKER" "$SERVER_LOG"$'\n'"$STDOUT_LOG" "$KAFKA_START_TIMEOUT" probe_kafka
}

cmd_stop() {
  take_lock "$K_DIR/.lock"
  stop_pid "Kafka" "$PID_FILE" "$PROC_MARKER" 20
}

cmd_status() {
  local pid
  if pid="$(running_pid "$PID_FILE" "$PROC_MARKER")"; then
    local port cport
    port="$(saved_port "$PORTS_FILE" KAFKA_PORT)"
    cport="$(saved_port "$PORTS_FILE" KAFKA_CONTROLLER_PORT)"
    echo "kafka: running (pid $pid), broker 127.0.0.1:${port:-?}, controller 127.0.0.1:${cport:-?}, state $K_DIR"
  else
    echo "kafka: stopped"
    return 3
  fi
}

cmd_topics() {
  [[ -f "$LIBS_MARKER" ]] || die "Kafka jars not downloaded yet: run '$0 start' first"
  mkdir -p "$CONF_DIR"
  [[ -f "$CONF_DIR/tools-log4j.properties" ]] || write_config
  # the running broker's port unless KAFKA_PORT is given explicitly
  local port="${KAFKA_PORT_FROM_ENV:-$(saved_port "$PORTS_FILE" KAFKA_PORT)}"
  exec "$JAVA" "${TOOL_JVM_OPTS[@]}" -cp "$LIBS_DIR/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:${port:-$KAFKA_PORT}" "$@"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
topics)
  shift
  cmd_topics "$@"
  ;;
*) usage ;;
esac
