#!/usr/bin/env bash
# Local ClickHouse server on 127.0.0.1, without Docker, for development, tests
# and CI only. Uses Debian's clickhouse-server package (18.16.1 on Debian 12),
# installed with apt-get on first use if missing (needs root).
#
#   deploy/local/clickhouse.sh start    # install once if needed, start, wait until ready
#   deploy/local/clickhouse.sh stop     # SIGTERM, up to 20 s, then SIGKILL
#   deploy/local/clickhouse.sh status   # prints state; exit 0 running, 3 stopped
#   deploy/local/clickhouse.sh client ARGS...   # clickhouse-client against this server
#
# Environment (all optional):
#   GTWATCH_LOCAL_DIR          state root (default <repo>/.local); uses ./clickhouse
#   CLICKHOUSE_HTTP_PORT       HTTP port (default 8123)
#   CLICKHOUSE_TCP_PORT        native protocol port (default 9000)
#   CLICKHOUSE_START_TIMEOUT   seconds to wait for readiness (default 60)
#   CLICKHOUSE_SERVER_BIN      server binary (default: clickhouse-server from the package)
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh" clickhouse

CLICKHOUSE_HTTP_PORT="${CLICKHOUSE_HTTP_PORT:-8123}"
CLICKHOUSE_TCP_PORT="${CLICKHOUSE_TCP_PORT:-9000}"
CLICKHOUSE_START_TIMEOUT="${CLICKHOUSE_START_TIMEOUT:-60}"

CH_DIR="$GTWATCH_LOCAL_DIR/clickhouse"
CONFIG="$CH_DIR/config.xml"
USERS="$CH_DIR/users.xml"
DATA_DIR="$CH_DIR/data"
LOG_DIR="$CH_DIR/logs"
APT_LOG="$LOG_DIR/apt-install.log"

# shellcheck disable=SC2034 # read by lib.sh's service_* helpers
{
  SVC_NAME=ClickHouse
  SVC_LABEL=clickhouse
  SVC_DIR="$CH_DIR"
  SVC_PID_FILE="$CH_DIR/clickhouse.pid"
  # Appears in our server's command line and nowhere else: identifies our pid.
  SVC_MARKER="--config-file=$CONFIG"
  SVC_PORTS_FILE="$CH_DIR/clickhouse.ports"
  SVC_PORT_VARS=(CLICKHOUSE_HTTP_PORT CLICKHOUSE_TCP_PORT)
  SVC_STATUS_PORTS="http://127.0.0.1:{CLICKHOUSE_HTTP_PORT}, native 127.0.0.1:{CLICKHOUSE_TCP_PORT}"
  SVC_SERVER_LOG="$LOG_DIR/clickhouse-server.log"
  SVC_STDOUT_LOG="$LOG_DIR/clickhouse.out" # output of this run only (config errors before logging starts)
  SVC_TIMEOUT="$CLICKHOUSE_START_TIMEOUT"
}

validate_env() {
  require_distinct_ports CLICKHOUSE_HTTP_PORT CLICKHOUSE_TCP_PORT
  require_uint CLICKHOUSE_START_TIMEOUT "$CLICKHOUSE_START_TIMEOUT"
}

# Print the server binary (Debian: /usr/sbin/clickhouse-server, which may be
# off a non-root PATH; upstream packages: /usr/bin/clickhouse-server -> clickhouse).
find_server_bin() {
  local c
  for c in "${CLICKHOUSE_SERVER_BIN:-}" "$(command -v clickhouse-server 2>/dev/null || true)" \
    /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    [[ -n "$c" && -x "$c" ]] && {
      printf '%s' "$c"
      return 0
    }
  done
  if [[ -x /usr/bin/clickhouse ]]; then
    printf '%s' /usr/bin/clickhouse
    return 0
  fi
  return 1
}

# The package's maintainer script would start (and enable) a system instance
# as user clickhouse on 8123/9000. A policy-rc.d that answers 101 ("action
# forbidden") stops invoke-rc.d from starting it during the install.
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_BACKUP=""

restore_policy_rc() {
  rm -f "$POLICY_RC"
  if [[ -n "$POLICY_BACKUP" && -e "$POLICY_BACKUP" ]]; then
    mv -f "$POLICY_BACKUP" "$POLICY_RC"
  fi
}

install_clickhouse() {
  [[ "$(id -u)" == 0 ]] ||
    die "clickhouse-server is not installed and this is not root. Install it once with: sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clickhouse-server clickhouse-client"
  require_cmd apt-get "only Debian/Ubuntu are supported for the automatic install"
  mkdir -p "$LOG_DIR"
  log "clickhouse-server not found: installing Debian's clickhouse-server + clickhouse-client with apt-get (log: $APT_LOG)"
  if [[ -e "$POLICY_RC" ]]; then
    POLICY_BACKUP="$POLICY_RC.gtwatch-backup.$$"
    mv -f "$POLICY_RC" "$POLICY_BACKUP"
  fi
  trap restore_policy_rc EXIT
  printf '#!/bin/sh\n# temporary, written by gtwatch deploy/local/clickhouse.sh: start no services\nexit 101\n' >"$POLICY_RC"
  chmod 755 "$POLICY_RC"
  local ok=1
  {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update &&
      apt-get install -y --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        clickhouse-server clickhouse-client
  } >"$APT_LOG" 2>&1 || ok=0
  restore_policy_rc
  trap - EXIT
  if ((ok == 0)); then
    log_tail "$APT_LOG" 40
    die "apt-get could not install clickhouse-server/clickhouse-client; see $APT_LOG"
  fi
  # Don't let the packaged system service come up at boot and take 8123/9000.
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now clickhouse-server >>"$APT_LOG" 2>&1 || true
  elif command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d clickhouse-server disable >>"$APT_LOG" 2>&1 || true
  fi
  log "installed: $(dpkg-query -W -f='${Package} ${Version}' clickhouse-server 2>/dev/null || echo clickhouse-server)"
}

# Warn about the packaged system service (config in /etc/clickhouse-server):
# it listens on 8123/9000 too.
warn_system_clickhouse() {
  local d pid exe
  for d in /proc/[0-9]*; do
    exe="$(readlink "$d/exe" 2>/dev/null)" || continue
    [[ "${exe##*/}" == clickhouse* ]] || continue
    pid="${d#/proc/}"
    pid_is_ours "$pid" /etc/clickhouse-server || continue
    warn "the system ClickHouse service runs (pid $pid); if it holds our ports, stop it: 'service clickhouse-server stop' (or systemctl stop clickhouse-server)"
  done
}

xml_escape() {
  local s="$1"
  s="${s//&/&amp;}"
  s="${s//</&lt;}"
  s="${s//>/&gt;}"
  printf '%s' "$s"
}

# Regenerated on every start, so port changes take effect.
write_config() {
  mkdir -p "$DATA_DIR" "$CH_DIR/tmp" "$CH_DIR/user_files" "$CH_DIR/format_schemas" "$LOG_DIR"
  local d
  d="$(xml_escape "$CH_DIR")"
  cat >"$CONFIG" <<EOF
<?xml version="1.0"?>
<!-- Generated by deploy/local/clickhouse.sh on every start; edits are overwritten.
     Local development/test server only: loopback, no interserver port. -->
<yandex>
    <logger>
        <level>information</level>
        <log>$d/logs/clickhouse-server.log</log>
        <errorlog>$d/logs/clickhouse-server.err.log</errorlog>
        <size>100M</size>
        <count>3</count>
    </logger>

    <listen_host>127.0.0.1</listen_host>
    <http_port>${CLICKHOUSE_HTTP_PORT}</http_port>
    <tcp_port>${CLICKHOUSE_TCP_PORT}</tcp_port>
    <!-- no interserver_http_port: no replication, nothing else listens -->

    <timezone>UTC</timezone>

    <path>$d/data/</path>
    <tmp_path>$d/tmp/</tmp_path>
    <user_files_path>$d/user_files/</user_files_path>
    <format_schema_path>$d/format_schemas/</format_schema_path>
    <users_config>$d/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>

    <max_connections>1024</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>100</max_concurrent_queries>
    <!-- small caches: a dev laptop or a 2-core CI box, not a production node -->
    <uncompressed_cache_size>268435456</uncompressed_cache_size>
    <mark_cache_size>268435456</mark_cache_size>
    <mlock_executable>false</mlock_executable>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
    <umask>022</umask>

    <query_log>
        <database>system</database>
        <table>query_log</table>
        <partition_by>toYYYYMM(event_date)</partition_by>
        <flush_interval_milliseconds>7500</flush_interval_milliseconds>
    </query_log>

    <!-- dev/test data is disposable: let DROP TABLE drop anything -->
    <max_table_size_to_drop>0</max_table_size_to_drop>
    <max_partition_size_to_drop>0</max_partition_size_to_drop>
</yandex>
EOF

  cat >"$USERS" <<'EOF'
<?xml version="1.0"?>
<!-- Generated by deploy/local/clickhouse.sh on every start; edits are overwritten.
     DEV/TEST ONLY: user "default" has NO PASSWORD and is accepted from
     127.0.0.1 only. Never use this file for anything reachable from a network. -->
<yandex>
    <profiles>
        <default>
            <max_memory_usage>4000000000</max_memory_usage>
            <use_uncompressed_cache>0</use_uncompressed_cache>
            <load_balancing>random</load_balancing>
        </default>
        <readonly>
            <readonly>1</readonly>
        </readonly>
    </profiles>

    <users>
        <default>
            <password></password>
            <networks>
                <ip>127.0.0.1</ip>
            </networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>

    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

# Readiness: /ping answers "Ok." and a real query runs.
probe_clickhouse() {
  local ping version
  ping="$(http_get /ping "$CLICKHOUSE_HTTP_PORT" 5)" || return 1
  [[ "$ping" == Ok.* ]] || return 1
  version="$(http_get '/?query=SELECT%20version()' "$CLICKHOUSE_HTTP_PORT" 10)" || return 1
  [[ -n "$version" ]] || return 1
  CH_VERSION="${version%%[[:space:]]*}"
}

cmd_start() {
  validate_env
  service_lock
  local pid
  if pid="$(service_pid)"; then
    service_recheck "$pid" "it answers on 127.0.0.1:$CLICKHOUSE_HTTP_PORT" probe_clickhouse
    return 0
  fi
  rm -f "$SVC_PID_FILE"
  local bin
  if ! bin="$(find_server_bin)"; then
    install_clickhouse
    bin="$(find_server_bin)" || die "clickhouse-server still not found after installing the package"
  fi
  local -a cmd=("$bin")
  # upstream's multi-call binary needs the tool name
  [[ "${bin##*/}" == clickhouse ]] && cmd+=(server)
  warn_system_clickhouse
  require_port_free ClickHouse CLICKHOUSE_HTTP_PORT "$CLICKHOUSE_HTTP_PORT"
  require_port_free ClickHouse CLICKHOUSE_TCP_PORT "$CLICKHOUSE_TCP_PORT"
  write_config
  log "starting ClickHouse ($bin) on 127.0.0.1: HTTP $CLICKHOUSE_HTTP_PORT, native $CLICKHOUSE_TCP_PORT; logs in $LOG_DIR"
  # Foreground mode under setsid (not --daemon): we own the pid and the
  # process stays a child of nothing that can die under it. It runs in its
  # state directory; not in a subshell, which would lose mark_log's offset.
  cd "$CH_DIR"
  service_launch "${cmd[@]}" "$SVC_MARKER"
  CH_VERSION=""
  service_wait_ready probe_clickhouse
  log "ClickHouse version $CH_VERSION, http://127.0.0.1:$CLICKHOUSE_HTTP_PORT"
}

cmd_client() {
  local client
  client="$(command -v clickhouse-client 2>/dev/null)" || die "clickhouse-client not installed (run '$0 start' once, or apt-get install clickhouse-client)"
  exec "$client" --host 127.0.0.1 --port "$CLICKHOUSE_TCP_PORT" "$@"
}

case "${1:-}" in
start) cmd_start ;;
stop) service_stop ;;
status) service_status ;;
client)
  shift
  cmd_client "$@"
  ;;
*) usage ;;
esac
