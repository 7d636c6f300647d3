#!/usr/bin/env bash
# Start the local Kafka and ClickHouse (in parallel) and print the environment
# to use. Progress goes to stderr; stdout carries ONLY shell lines:
#
#   export KAFKA_BROKERS=127.0.0.1:9092
#   export CLICKHOUSE_URL=http://127.0.0.1:8123
#
# so that   eval "$(deploy/local/up.sh)"   works. A service whose variable is
# already set (non-empty) in the environment is not started; its line then
# repeats the given value. Exit status is non-zero if any start failed
# (whatever did start keeps running: deploy/local/down.sh stops it).
#
# Ports and other settings: see kafka.sh / clickhouse.sh (KAFKA_PORT,
# CLICKHOUSE_HTTP_PORT, GTWATCH_LOCAL_DIR, ...).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh" up

kafka_brokers="${KAFKA_BROKERS:-}"
clickhouse_url="${CLICKHOUSE_URL:-}"
kafka_pid=""
clickhouse_pid=""
start=$SECONDS

if [[ -n "$kafka_brokers" ]]; then
  log "KAFKA_BROKERS is set ($kafka_brokers): not starting Kafka"
else
  "$LOCAL_SCRIPTS_DIR/kafka.sh" start >&2 &
  kafka_pid=$!
fi
if [[ -n "$clickhouse_url" ]]; then
  log "CLICKHOUSE_URL is set ($clickhouse_url): not starting ClickHouse"
else
  "$LOCAL_SCRIPTS_DIR/clickhouse.sh" start >&2 &
  clickhouse_pid=$!
fi

failed=()
if [[ -n "$kafka_pid" ]]; then
  if wait "$kafka_pid"; then
    kafka_brokers="127.0.0.1:${KAFKA_PORT:-9092}"
  else
    failed+=("Kafka (deploy/local/kafka.sh start exited $?)")
  fi
fi
if [[ -n "$clickhouse_pid" ]]; then
  if wait "$clickhouse_pid"; then
    clickhouse_url="http://127.0.0.1:${CLICKHOUSE_HTTP_PORT:-8123}"
  else
    failed+=("ClickHouse (deploy/local/clickhouse.sh start exited $?)")
  fi
fi

if ((${#failed[@]})); then
  msg="$(printf '%s; ' "${failed[@]}")"
  die "could not start: ${msg%; }. See the messages above; 'deploy/local/down.sh' stops whatever did start."
fi

log "ready in $((SECONDS - start)) s"
printf 'export KAFKA_BROKERS=%q\n' "$kafka_brokers"
printf 'export CLICKHOUSE_URL=%q\n' "$clickhouse_url"
