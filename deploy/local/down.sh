#!/usr/bin/env bash
# Stop the local Kafka and ClickHouse started by up.sh / kafka.sh / clickhouse.sh
# and make sure no java or clickhouse process using GTWATCH_LOCAL_DIR is left
# (strays whose pid file was lost are killed too). Safe when nothing runs.
# Data stays in GTWATCH_LOCAL_DIR; see README.md to reset it.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh" down

rc=0
"$LOCAL_SCRIPTS_DIR/kafka.sh" stop >&2 &
kafka_pid=$!
"$LOCAL_SCRIPTS_DIR/clickhouse.sh" stop >&2 &
clickhouse_pid=$!
wait "$kafka_pid" || { warn "kafka.sh stop failed"; rc=1; }
wait "$clickhouse_pid" || { warn "clickhouse.sh stop failed"; rc=1; }

# Strays: a server whose pid file is gone, a readiness probe or a tool left
# behind. Only processes whose command line names our state directory.
EXE_RE='^(java|clickhouse.*)$'
MARKER="$GTWATCH_LOCAL_DIR/"
mapfile -t strays < <(local_pids_matching "$EXE_RE" "$MARKER")
if ((${#strays[@]})); then
  killed=("${strays[@]}")
  for pid in "${strays[@]}"; do
    warn "stray process $pid still running: $(proc_cmdline "$pid" | cut -c1-160); sending SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < 100; i++)); do
    mapfile -t strays < <(local_pids_matching "$EXE_RE" "$MARKER")
    ((${#strays[@]})) || break
    sleep 0.2
  done
  for pid in "${strays[@]}"; do
    warn "stray process $pid ignored SIGTERM for 20 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  done
  sleep 0.5
  mapfile -t strays < <(local_pids_matching "$EXE_RE" "$MARKER")
  if ((${#strays[@]})); then
    die "processes still running after SIGKILL: ${strays[*]}"
  fi
  # let init reap them, so that ps shows no <defunct> leftovers
  for ((i = 0; i < 50; i++)); do
    left=0
    for pid in "${killed[@]}"; do [[ -e "/proc/$pid" ]] && left=1; done
    ((left)) || break
    sleep 0.1
  done
fi

if ((rc)); then
  die "some service did not stop cleanly (see above)"
fi
log "nothing of ours is running (state kept in $GTWATCH_LOCAL_DIR)"
