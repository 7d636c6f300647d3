#!/usr/bin/env bash
# One-shot: creates or updates gtwatch's least-privilege ClickHouse users with SQL access control (current servers;
# ClickHouse 18.16 has no SQL RBAC and is configured through users.d instead — see docs/runbook.md).
# Idempotent: re-running re-applies grants and sets each password from its secret file (how passwords rotate).
# Only SHA-256 hashes reach the server, so the passwords never appear in its query log.
set -euo pipefail

host="${CLICKHOUSE_HOST:-clickhouse}"
admin="${CLICKHOUSE_ADMIN_USER:-gtwatch_admin}"
db="${CLICKHOUSE_DATABASE:-gtwatch}"
[[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "CLICKHOUSE_DATABASE must be a plain identifier" >&2; exit 1; }

hash_of() { printf '%s' "$(<"/run/secrets/$1")" | sha256sum | cut -d' ' -f1; }

# The admin password goes into a client config on the container's tmpfs, not onto the command line (ps).
config="$(mktemp /tmp/clickhouse-client.XXXXXX.xml)"
trap 'rm -f "$config"' EXIT
{
  printf '<config>\n  <host>%s</host>\n  <user>%s</user>\n' "$host" "$admin"
  printf '  <password>%s</password>\n</config>\n' "$(<"/run/secrets/clickhouse_admin_password")"
} >"$config"

run() { clickhouse client --config-file "$config" --query "$1"; }

run "CREATE DATABASE IF NOT EXISTS ${db}"

# Writer (scorer, sink): the sink applies pending migrations at startup, hence CREATE DATABASE/TABLE and ADD COLUMN.
# async_insert off: the sink already batches, and commits offsets only once ClickHouse has acknowledged an INSERT.
run "CREATE USER IF NOT EXISTS gtwatch_writer IDENTIFIED WITH sha256_hash BY '$(hash_of clickhouse_writer_password)' SETTINGS async_insert = 0"
run "ALTER USER gtwatch_writer IDENTIFIED WITH sha256_hash BY '$(hash_of clickhouse_writer_password)' SETTINGS async_insert = 0"
run "GRANT SELECT, INSERT, CREATE DATABASE, CREATE TABLE, ALTER ADD COLUMN ON ${db}.* TO gtwatch_writer"

# Readers (api, Grafana): readonly = 2 refuses every write and any change of `readonly` itself, but lets clients set
# other settings (the api sends readonly=2 and max_execution_time per query, Grafana's driver sets its own
# timeouts; readonly = 1 would refuse all of those). The limits can be lowered per query, never raised past MAX.
reader_settings="readonly = 2, max_execution_time = 30 MAX 60, max_result_rows = 1000000 MAX 1000000, result_overflow_mode = 'throw' CONST, max_memory_usage = 4000000000 MAX 4000000000"
run "CREATE SETTINGS PROFILE IF NOT EXISTS gtwatch_reader SETTINGS ${reader_settings}"
run "ALTER SETTINGS PROFILE gtwatch_reader SETTINGS ${reader_settings}"
for reader in api grafana; do
  user="gtwatch_${reader}"
  run "CREATE USER IF NOT EXISTS ${user} IDENTIFIED WITH sha256_hash BY '$(hash_of "clickhouse_${reader}_password")' SETTINGS PROFILE gtwatch_reader"
  run "ALTER USER ${user} IDENTIFIED WITH sha256_hash BY '$(hash_of "clickhouse_${reader}_password")' SETTINGS PROFILE gtwatch_reader"
  run "GRANT SELECT ON ${db}.* TO ${user}"
done
quota="FOR INTERVAL 1 minute MAX queries = 1200, result_rows = 50000000 TO gtwatch_api, gtwatch_grafana"
run "CREATE QUOTA IF NOT EXISTS gtwatch_readers ${quota}"
run "ALTER QUOTA gtwatch_readers ${quota}"
echo "ClickHouse users ready: gtwatch_writer, gtwatch_api, gtwatch_grafana (database ${db})"
