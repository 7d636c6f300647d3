#!/usr/bin/env bash
# Start the secured local Kafka and ClickHouse (beside the plain ones of
# deploy/local/up.sh) and print the environment to use. Progress goes to
# stderr; stdout carries only export lines:
#
#   export KAFKA_SECURE_BROKERS=127.0.0.1:19192
#   export KAFKA_SECURE_CA_FILE=<state>/kafka-secure/tls/ca.pem
#   export KAFKA_SECURE_SECRETS_DIR=<state>/kafka-secure/secrets      (one <user>.password per SCRAM user)
#   export CLICKHOUSE_SECURE_URL=http://127.0.0.1:18123
#   export CLICKHOUSE_SECURE_SECRETS_DIR=<state>/clickhouse-secure/secrets   (migrator/writer/api.password)
#
#   eval "$(deploy/local/secure/up.sh)"            # both
#   deploy/local/secure/up.sh kafka|clickhouse     # only one
#
# Idempotent: a running server is only re-checked. Settings: see
# kafka-secure.sh and clickhouse-secure.sh. Stop with deploy/local/secure/down.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
what="${1:-all}"
case "$what" in
all | kafka | clickhouse) ;;
*)
  echo "usage: $0 [all|kafka|clickhouse]" >&2
  exit 2
  ;;
esac

# Kafka's JVM takes most of the time; the two start in parallel.
kafka_pid=""
clickhouse_pid=""
[[ "$what" == clickhouse ]] || {
  "$here/kafka-secure.sh" start >&2 &
  kafka_pid=$!
}
[[ "$what" == kafka ]] || {
  "$here/clickhouse-secure.sh" start >&2 &
  clickhouse_pid=$!
}
failed=0
if [[ -n "$kafka_pid" ]]; then wait "$kafka_pid" || failed=1; fi
if [[ -n "$clickhouse_pid" ]]; then wait "$clickhouse_pid" || failed=1; fi
if ((failed)); then
  echo "[secure-up] ERROR: a secured server did not start (messages above); deploy/local/secure/down.sh stops what did" >&2
  exit 1
fi
[[ "$what" == clickhouse ]] || "$here/kafka-secure.sh" env
[[ "$what" == kafka ]] || "$here/clickhouse-secure.sh" env
