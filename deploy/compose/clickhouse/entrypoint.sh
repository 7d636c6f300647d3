#!/usr/bin/env bash
# Wraps the image's own entrypoint so the admin password comes from the mounted secret file, never from compose.yaml
# or `docker inspect`. The image then writes users.d/default-user.xml for $CLICKHOUSE_USER (and removes `default`).
set -euo pipefail
secret=/run/secrets/clickhouse_admin_password
if [[ ! -s "$secret" ]]; then
  echo "missing $secret: run deploy/compose/make-secrets.sh first" >&2
  exit 1
fi
CLICKHOUSE_PASSWORD="$(<"$secret")"
export CLICKHOUSE_PASSWORD
exec /entrypoint.sh "$@"
