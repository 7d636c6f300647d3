# shellcheck shell=bash
# What the plain broker (kafka.sh) and the secured one (secure/kafka-secure.sh)
# share: the pinned jars, Kafka's command-line tools, the storage format, the
# broker's JVM and the parts of the generated configuration that are the same.
# Source it, don't run it: after lib.sh, and after setting
#   JAVA          java binary
#   LIBS_DIR      the Kafka jars
#   CONF_DIR      generated configuration (server.properties, log4j files)
#   DATA_DIR      KRaft metadata and topic data
#   LOG_DIR       the broker's logs
#   SERVER_PROPS  the broker's server.properties
# and the SVC_* description of the server (lib.sh).

# Keep in step with kafka.version in deploy/local/kafka/pom.xml.
KAFKA_VERSION=3.9.1
KAFKA_POM="$LOCAL_SCRIPTS_DIR/kafka/pom.xml"

# Kafka's short-lived command-line tools (StorageTool, TopicCommand): a small
# JVM that starts fast and logs warnings to stderr.
KAFKA_TOOL=("$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  "-Dlog4j.configuration=file:$CONF_DIR/tools-log4j.properties" -cp "$LIBS_DIR/*")

# kafka_libs_ready: LIBS_DIR holds this version's jars. The marker is written
# last, so that a download cut short is fetched again; a marker naming another
# version triggers a re-download.
kafka_libs_ready() {
  [[ -f "$LIBS_DIR/.gtwatch-kafka-version" && "$(cat "$LIBS_DIR/.gtwatch-kafka-version")" == "$KAFKA_VERSION" ]]
}

# kafka_download_libs MAVEN_LOG: fetch the jars with Maven into
# LIBS_DIR.partial and swap that in only when complete. The caller holds the
# lock of the broker that owns LIBS_DIR, so two never download at once.
kafka_download_libs() {
  local mvn_log="$1" tmp="$LIBS_DIR.partial"
  require_cmd mvn "Maven 3.8+ is needed once, to download Kafka $KAFKA_VERSION from Maven Central (apt-get install maven)"
  [[ -f "$KAFKA_POM" ]] || die "missing $KAFKA_POM"
  mkdir -p "$(dirname "$mvn_log")"
  rm -rf "$tmp"
  log "downloading Kafka $KAFKA_VERSION jars from Maven Central into $LIBS_DIR (one time; log: $mvn_log)"
  if ! mvn -B -q -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp" >"$mvn_log" 2>&1; then
    log_tail "$mvn_log" 40
    rm -rf "$tmp"
    die "Maven could not download Kafka $KAFKA_VERSION (mvn dependency:copy-dependencies -f $KAFKA_POM failed); see $mvn_log"
  fi
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" && -f "$tmp/kafka-tools-$KAFKA_VERSION.jar" ]] ||
    die "Maven finished but $tmp lacks kafka_2.13-$KAFKA_VERSION.jar / kafka-tools-$KAFKA_VERSION.jar (does $KAFKA_POM pin $KAFKA_VERSION?)"
  printf '%s\n' "$KAFKA_VERSION" >"$tmp/.gtwatch-kafka-version"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  log "Kafka $KAFKA_VERSION: $(find "$LIBS_DIR" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS_DIR" | cut -f1)"
}

# Kafka's Uuid text form: 16 random bytes, base64url without padding. Like
# Kafka's own generator, never start with '-' (it would look like an option).
kafka_new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* && ${#id} -eq 22 ]] && break
  done
  printf '%s' "$id"
}

# kafka_format_storage NOTE [FORMAT_OPTION...]: format DATA_DIR for
# SERVER_PROPS with a fresh cluster id; NOTE ends the progress line.
kafka_format_storage() {
  local note="$1" cluster_id fmt_log="$LOG_DIR/storage-format.log"
  shift
  cluster_id="$(kafka_new_cluster_id)"
  log "formatting KRaft storage in $DATA_DIR (cluster id $cluster_id)$note"
  if ! "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$SERVER_PROPS" "$@" >"$fmt_log" 2>&1; then
    log_tail "$fmt_log" 40
    die "formatting the $SVC_NAME storage failed (kafka.tools.StorageTool format); see $fmt_log"
  fi
}

# kafka_launch_broker HEAP_OPTS [JVM_OPTION...]: start kafka.Kafka on
# SERVER_PROPS as this script's server (see service_launch).
kafka_launch_broker() {
  local -a heap
  read -r -a heap <<<"$1"
  shift
  service_launch "$JAVA" "${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dkafka.logs.dir=$LOG_DIR" \
    "-Dlog4j.configuration=file:$CONF_DIR/log4j.properties" \
    "$@" -cp "$LIBS_DIR/*" kafka.Kafka "$SERVER_PROPS"
}

# --- generated configuration ------------------------------------------------

# kafka_kraft_props LISTENER PORT CONTROLLER_PORT PROTOCOL_MAP: a single node
# that is broker and controller; clients and the broker itself use LISTENER.
# The quorum is static (controller.quorum.voters), so ports may change between
# starts.
kafka_kraft_props() {
  cat <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$3
listeners=$1://127.0.0.1:$2,CONTROLLER://127.0.0.1:$3
advertised.listeners=$1://127.0.0.1:$2
listener.security.protocol.map=$4
controller.listener.names=CONTROLLER
inter.broker.listener.name=$1
log.dirs=${DATA_DIR}
EOF
}

# kafka_single_node_props IO_THREADS
kafka_single_node_props() {
  cat <<EOF
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
num.io.threads=$1
num.recovery.threads.per.data.dir=1
log.retention.hours=168
log.segment.bytes=104857600
EOF
}

# log4j_rolling_appender NAME FILE MAX_SIZE BACKUPS: a size-rotated log file
# in the broker's log directory.
log4j_rolling_appender() {
  cat <<EOF
log4j.appender.$1=org.apache.log4j.RollingFileAppender
log4j.appender.$1.File=\${kafka.logs.dir}/$2
log4j.appender.$1.MaxFileSize=$3
log4j.appender.$1.MaxBackupIndex=$4
log4j.appender.$1.layout=org.apache.log4j.PatternLayout
log4j.appender.$1.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# kafka_write_tools_log4j GENERATOR: the tools' log4j file (see KAFKA_TOOL).
kafka_write_tools_log4j() {
  cat >"$CONF_DIR/tools-log4j.properties" <<EOF
# Generated by $1: command-line tools log warnings to stderr.
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}
