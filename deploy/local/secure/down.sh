#!/usr/bin/env bash
# Stop the secured local Kafka and ClickHouse started by deploy/local/secure/up.sh
# (by their pid files). Data, certificates and passwords are kept; delete
# <state>/kafka-secure or <state>/clickhouse-secure for a fresh start.
#
#   deploy/local/secure/down.sh [all|kafka|clickhouse]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
what="${1:-all}"
rc=0
[[ "$what" == clickhouse ]] || "$here/kafka-secure.sh" stop || rc=1
[[ "$what" == kafka ]] || "$here/clickhouse-secure.sh" stop || rc=1
exit "$rc"
