#!/usr/bin/env bash
# A SECOND local ClickHouse (same binary as deploy/local/clickhouse.sh, own
# state and ports) that also loads gtwatch's least-privilege users from a
# users.d fragment. The plain server used by every other test is not touched.
# Dev/test only.
#
#   deploy/local/secure/clickhouse-secure.sh start    # passwords once, users.d fragment, start, wait
#   deploy/local/secure/clickhouse-secure.sh stop
#   deploy/local/secure/clickhouse-secure.sh status   # exit 0 running, 3 stopped
#   deploy/local/secure/clickhouse-secure.sh users    # rewrite the fragment (the server re-reads it by itself)
#   deploy/local/secure/clickhouse-secure.sh env      # print the export lines
#
# Environment (all optional): CLICKHOUSE_SECURE_HTTP_PORT (18123),
# CLICKHOUSE_SECURE_TCP_PORT (19001), GTWATCH_LOCAL_DIR, and the GTWATCH_CH_*
# limits of deploy/local/clickhouse/gtwatch-users.sh (database, API limits, quota).
# User "default" (no password, 127.0.0.1 only) stays, as the local admin.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh" clickhouse-secure

CLICKHOUSE_SECURE_HTTP_PORT="${CLICKHOUSE_SECURE_HTTP_PORT:-18123}"
CLICKHOUSE_SECURE_TCP_PORT="${CLICKHOUSE_SECURE_TCP_PORT:-19001}"
ROOT="$GTWATCH_LOCAL_DIR/clickhouse-secure"
# deploy/local/clickhouse.sh keeps its server in <GTWATCH_LOCAL_DIR>/clickhouse; pointing it at ROOT gives a
# second, independent server with the same generated config.
CH_DIR="$ROOT/clickhouse"
SECRETS_DIR="$ROOT/secrets"
FRAGMENT="$CH_DIR/users.d/gtwatch.xml"
USERS=(migrator writer api)

secure_clickhouse() {
  GTWATCH_LOCAL_DIR="$ROOT" CLICKHOUSE_HTTP_PORT="$CLICKHOUSE_SECURE_HTTP_PORT" \
    CLICKHOUSE_TCP_PORT="$CLICKHOUSE_SECURE_TCP_PORT" "$LOCAL_SCRIPTS_DIR/clickhouse.sh" "$@"
}

ensure_passwords() {
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  local user
  for user in "${USERS[@]}"; do ensure_secret_file "$SECRETS_DIR/$user.password"; done
}

write_users() {
  ensure_passwords
  mkdir -p "$(dirname "$FRAGMENT")"
  CLICKHOUSE_MIGRATOR_PASSWORD_FILE="$SECRETS_DIR/migrator.password" \
    CLICKHOUSE_WRITER_PASSWORD_FILE="$SECRETS_DIR/writer.password" \
    CLICKHOUSE_API_PASSWORD_FILE="$SECRETS_DIR/api.password" \
    "$LOCAL_SCRIPTS_DIR/clickhouse/gtwatch-users.sh" "$FRAGMENT"
}

cmd_env() {
  printf 'export CLICKHOUSE_SECURE_URL=%q\n' "http://127.0.0.1:$CLICKHOUSE_SECURE_HTTP_PORT"
  printf 'export CLICKHOUSE_SECURE_SECRETS_DIR=%q\n' "$SECRETS_DIR"
}

case "${1:-}" in
start)
  require_distinct_ports CLICKHOUSE_SECURE_HTTP_PORT CLICKHOUSE_SECURE_TCP_PORT
  write_users
  secure_clickhouse start
  ;;
users) write_users ;;
stop) secure_clickhouse stop ;;
status) secure_clickhouse status | sed 's/^clickhouse:/clickhouse-secure:/' ;;
env) cmd_env ;;
*) usage ;;
esac
