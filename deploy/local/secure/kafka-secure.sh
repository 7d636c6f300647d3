#!/usr/bin/env bash
# A SECOND local Kafka broker (KRaft, single node) with authentication and
# authorisation, beside the plain one of deploy/local/kafka.sh, for the
# security tests and for trying ACLs. Dev/test only.
#
#   deploy/local/secure/kafka-secure.sh start    # certificates + format once, start, wait until an authenticated request works
#   deploy/local/secure/kafka-secure.sh stop     # SIGTERM, up to 20 s, then SIGKILL
#   deploy/local/secure/kafka-secure.sh status   # exit 0 running, 3 stopped
#   deploy/local/secure/kafka-secure.sh env      # print the export lines (broker, CA, secrets dir)
#
# Listeners: SASL_SSL (SCRAM-SHA-512) on 127.0.0.1:$KAFKA_SECURE_PORT for
# clients and the broker itself; the KRaft controller on
# 127.0.0.1:$KAFKA_SECURE_CONTROLLER_PORT over mutual TLS (only a holder of a
# certificate signed by the local CA - the broker - gets in). The
# StandardAuthorizer denies everything without an ACL; super users: admin and
# the broker's certificate.
#
# Environment (all optional):
#   GTWATCH_LOCAL_DIR              state root (default <repo>/.local); uses ./kafka-secure, jars from ./kafka/libs
#   KAFKA_SECURE_PORT              SASL_SSL port (default 19192)
#   KAFKA_SECURE_CONTROLLER_PORT   controller port (default 19193)
#   KAFKA_SECURE_USERS             SCRAM users created at format time, space-separated
#                                  (default: admin gtwatch-scorer gtwatch-sink gtwatch-api
#                                  reg-gb reg-us op-234-15 op-310-260); changing it re-formats
#   KAFKA_SECURE_START_TIMEOUT     seconds to wait for readiness (default 120)
#   KAFKA_HEAP_OPTS                broker heap (default "-Xms128m -Xmx384m")
#   JAVA                           java binary (default: java on PATH)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh" kafka-secure

KAFKA_SECURE_PORT="${KAFKA_SECURE_PORT:-19192}"
KAFKA_SECURE_CONTROLLER_PORT="${KAFKA_SECURE_CONTROLLER_PORT:-19193}"
KAFKA_SECURE_USERS="${KAFKA_SECURE_USERS:-admin gtwatch-scorer gtwatch-sink gtwatch-api reg-gb reg-us op-234-15 op-310-260}"
KAFKA_SECURE_START_TIMEOUT="${KAFKA_SECURE_START_TIMEOUT:-120}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx384m}"
JAVA="${JAVA:-java}"

PLAIN_K_DIR="$GTWATCH_LOCAL_DIR/kafka"
LIBS_DIR="$PLAIN_K_DIR/libs"
S_DIR="$GTWATCH_LOCAL_DIR/kafka-secure"
CONF_DIR="$S_DIR/config"
DATA_DIR="$S_DIR/data"
LOG_DIR="$S_DIR/logs"
TLS_DIR="$S_DIR/tls"
SECRETS_DIR="$S_DIR/secrets"
USERS_MARKER="$S_DIR/formatted-users"
SERVER_PROPS="$CONF_DIR/server.properties"
ADMIN_PROPS="$CONF_DIR/admin-client.properties"
PROBE_LOG="$LOG_DIR/readiness-probe.log"
BROKER_DN="CN=gtwatch-local-broker"

# shellcheck disable=SC2034 # read by lib.sh's service_* helpers
{
  SVC_NAME="secured Kafka"
  SVC_LABEL=kafka-secure
  SVC_DIR="$S_DIR"
  SVC_PID_FILE="$S_DIR/kafka.pid"
  SVC_MARKER="kafka.Kafka $SERVER_PROPS"
  SVC_PORTS_FILE="$S_DIR/kafka.ports"
  SVC_PORT_VARS=(KAFKA_SECURE_PORT KAFKA_SECURE_CONTROLLER_PORT)
  SVC_STATUS_PORTS="SASL_SSL 127.0.0.1:{KAFKA_SECURE_PORT}"
  SVC_SERVER_LOG="$LOG_DIR/server.log"
  SVC_STDOUT_LOG="$LOG_DIR/kafka.out"
  SVC_TIMEOUT="$KAFKA_SECURE_START_TIMEOUT"
}

# shellcheck source-path=SCRIPTDIR source=../kafka-lib.sh
source "$LOCAL_SCRIPTS_DIR/kafka-lib.sh"

validate_env() {
  require_distinct_ports KAFKA_SECURE_PORT KAFKA_SECURE_CONTROLLER_PORT
  require_uint KAFKA_SECURE_START_TIMEOUT "$KAFKA_SECURE_START_TIMEOUT"
  local user
  for user in $KAFKA_SECURE_USERS; do
    [[ "$user" =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "KAFKA_SECURE_USERS: '$user' is not a plain user name ([A-Za-z0-9._-])"
  done
  [[ " $KAFKA_SECURE_USERS " == *" admin "* ]] || die "KAFKA_SECURE_USERS must include admin (the super user)"
}

# The same jars as the plain broker. Normally deploy/local/kafka.sh has fetched
# them already; on a machine where it has not, fetch them the same way, under
# the plain broker's lock so that the two never download at once.
ensure_libs() {
  kafka_libs_ready && return 0
  require_cmd mvn "Maven is needed once to download Kafka $KAFKA_VERSION (or run deploy/local/kafka.sh start first)"
  (
    take_lock "$PLAIN_K_DIR/.lock"
    kafka_libs_ready || kafka_download_libs "$LOG_DIR/maven-download.log"
  )
}

# A local CA and a broker certificate for 127.0.0.1/localhost, made once. The
# broker certificate is also its client certificate on the controller listener.
ensure_certificates() {
  [[ -f "$TLS_DIR/ca.pem" && -f "$TLS_DIR/broker.p12" && -f "$TLS_DIR/truststore.p12" && -f "$SECRETS_DIR/.store-password" ]] && return 0
  require_cmd openssl "openssl makes the local certificates"
  require_cmd keytool "keytool (Java 17) makes the truststore"
  rm -rf "$TLS_DIR"
  mkdir -p "$TLS_DIR" "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  local store_pw
  store_pw="$(random_hex 24)"
  (umask 077 && printf '%s' "$store_pw" >"$SECRETS_DIR/.store-password")
  log "generating a local CA and a broker certificate in $TLS_DIR"
  {
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 -subj "/CN=gtwatch local test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.pem"
    openssl req -new -newkey rsa:2048 -nodes -sha256 -subj "/$BROKER_DN" \
      -keyout "$TLS_DIR/broker.key" -out "$TLS_DIR/broker.csr"
    printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$TLS_DIR/broker.ext"
    openssl x509 -req -sha256 -days 3650 -in "$TLS_DIR/broker.csr" -CA "$TLS_DIR/ca.pem" -CAkey "$TLS_DIR/ca.key" \
      -CAcreateserial -extfile "$TLS_DIR/broker.ext" -out "$TLS_DIR/broker.pem"
    openssl pkcs12 -export -name broker -in "$TLS_DIR/broker.pem" -inkey "$TLS_DIR/broker.key" \
      -certfile "$TLS_DIR/ca.pem" -passout "pass:$store_pw" -out "$TLS_DIR/broker.p12"
    keytool -importcert -noprompt -alias gtwatch-local-ca -file "$TLS_DIR/ca.pem" \
      -storetype PKCS12 -keystore "$TLS_DIR/truststore.p12" -storepass "$store_pw"
  } >"$LOG_DIR/certificates.log" 2>&1 || {
    log_tail "$LOG_DIR/certificates.log" 30
    rm -rf "$TLS_DIR"
    die "could not generate the certificates; see $LOG_DIR/certificates.log"
  }
  chmod 600 "$TLS_DIR/ca.key" "$TLS_DIR/broker.key" "$TLS_DIR/broker.p12"
  rm -f "$TLS_DIR/broker.csr" "$TLS_DIR/broker.ext"
}

store_password() { cat "$SECRETS_DIR/.store-password"; }
user_password() { cat "$SECRETS_DIR/$1.password"; }

write_config() {
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"
  local store_pw admin_pw
  store_pw="$(store_password)"
  admin_pw="$(user_password admin)"
  (
    umask 077
    {
      echo "# Generated by deploy/local/secure/kafka-secure.sh on every start - edits are overwritten."
      echo "# Holds the keystore and admin passwords: mode 600, git-ignored state dir."
      kafka_kraft_props SECURE "$KAFKA_SECURE_PORT" "$KAFKA_SECURE_CONTROLLER_PORT" SECURE:SASL_SSL,CONTROLLER:SSL
      cat <<EOF

# TLS: one local CA; the broker certificate serves both listeners.
ssl.keystore.type=PKCS12
ssl.keystore.location=${TLS_DIR}/broker.p12
ssl.keystore.password=${store_pw}
ssl.key.password=${store_pw}
ssl.truststore.type=PKCS12
ssl.truststore.location=${TLS_DIR}/truststore.p12
ssl.truststore.password=${store_pw}
ssl.endpoint.identification.algorithm=https
# the controller admits only certificates of the local CA (the broker's own)
listener.name.controller.ssl.client.auth=required

# SASL/SCRAM on the client listener; credentials live in the KRaft metadata (format --add-scram)
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.secure.sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.secure.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_pw}";

# Authorisation: deny unless an ACL allows; admin and the broker certificate are super users.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:${BROKER_DN}

EOF
      kafka_single_node_props 2
    } >"$SERVER_PROPS"
    cat >"$ADMIN_PROPS" <<EOF
# Generated by deploy/local/secure/kafka-secure.sh: the admin's client settings for Kafka's own tools.
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${admin_pw}";
ssl.truststore.type=PEM
ssl.truststore.location=${TLS_DIR}/ca.pem
EOF
  )
  {
    echo "# Generated by deploy/local/secure/kafka-secure.sh."
    echo "log4j.rootLogger=INFO, kafkaAppender"
    log4j_rolling_appender kafkaAppender server.log 50MB 2
    cat <<'EOF'
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
# denied requests are logged at INFO by the authorizer: keep them, they are what the tests provoke
log4j.logger.kafka.authorizer.logger=INFO
EOF
  } >"$CONF_DIR/log4j.properties"
  kafka_write_tools_log4j deploy/local/secure/kafka-secure.sh
}

users_line() { tr -s ' ' '\n' <<<"$KAFKA_SECURE_USERS" | sed '/^$/d' | sort -u | tr '\n' ' '; }

# SCRAM credentials are written into the metadata log at format time (KRaft has
# no ZooKeeper to hold them before the broker runs), so the user set is fixed per
# format. A different set, or a lost password file, means a fresh format: this
# broker holds disposable test data only.
ensure_formatted() {
  local wanted user missing=0
  wanted="$(users_line)"
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  for user in $wanted; do [[ -s "$SECRETS_DIR/$user.password" ]] || missing=1; done
  if [[ -f "$DATA_DIR/meta.properties" && $missing -eq 0 && "$(cat "$USERS_MARKER" 2>/dev/null)" == "$wanted" ]]; then
    return 0
  fi
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    log "the SCRAM users changed (or a password file is gone): re-formatting $DATA_DIR"
  fi
  rm -rf "$DATA_DIR"
  mkdir -p "$DATA_DIR"
  local -a scram=()
  for user in $wanted; do
    ensure_secret_file "$SECRETS_DIR/$user.password"
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(user_password "$user")]")
  done
  write_config # the admin password may be new
  kafka_format_storage " with SCRAM users: $wanted" "${scram[@]}"
  printf '%s' "$wanted" >"$USERS_MARKER"
}

# Ready = an admin-authenticated Metadata request over TLS succeeds (Kafka's own
# topic tool lists topics). One short JVM per attempt.
probe_kafka() {
  # no JVM until the port even accepts connections
  tcp_open 127.0.0.1 "$KAFKA_SECURE_PORT" || return 1
  if timeout 30 "${KAFKA_TOOL[@]}" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:$KAFKA_SECURE_PORT" --command-config "$ADMIN_PROPS" --list >>"$PROBE_LOG" 2>&1; then
    printf '%s authenticated metadata request ok\n' "$(date -u +%FT%TZ)" >>"$PROBE_LOG"
    return 0
  fi
  return 1
}

cmd_env() {
  printf 'export KAFKA_SECURE_BROKERS=%q\n' "127.0.0.1:$KAFKA_SECURE_PORT"
  printf 'export KAFKA_SECURE_CA_FILE=%q\n' "$TLS_DIR/ca.pem"
  printf 'export KAFKA_SECURE_SECRETS_DIR=%q\n' "$SECRETS_DIR"
}

cmd_start() {
  validate_env
  require_cmd "$JAVA" "Java 17 is needed to run Kafka"
  mkdir -p "$S_DIR" "$LOG_DIR"
  service_lock
  local pid
  if pid="$(service_pid)"; then
    [[ "$(cat "$USERS_MARKER" 2>/dev/null)" == "$(users_line)" ]] ||
      die "the secured Kafka runs with other SCRAM users ($(cat "$USERS_MARKER" 2>/dev/null)); stop it first to change KAFKA_SECURE_USERS"
    service_recheck "$pid" "an authenticated request works" probe_kafka
    return 0
  fi
  rm -f "$SVC_PID_FILE"
  ensure_libs
  require_port_free "secured Kafka" KAFKA_SECURE_PORT "$KAFKA_SECURE_PORT"
  require_port_free "secured Kafka (controller)" KAFKA_SECURE_CONTROLLER_PORT "$KAFKA_SECURE_CONTROLLER_PORT"
  ensure_certificates
  mkdir -p "$SECRETS_DIR"
  ensure_secret_file "$SECRETS_DIR/admin.password"
  write_config
  ensure_formatted
  : >"$PROBE_LOG"
  log "starting secured Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_SECURE_PORT (SASL_SSL), controller :$KAFKA_SECURE_CONTROLLER_PORT (mTLS); logs in $LOG_DIR"
  kafka_launch_broker "$KAFKA_HEAP_OPTS"
  service_wait_ready probe_kafka
}

case "${1:-}" in
start) cmd_start ;;
stop) service_stop ;;
status) service_status ;;
env) cmd_env ;;
*) usage ;;
esac
