#!/usr/bin/env bash
# Creates the secret files compose.yaml mounts (one random value per file) unless they already exist.
# Re-running keeps existing values; delete a file and re-run to rotate it (then restart what uses it).
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
for name in clickhouse_admin_password clickhouse_writer_password clickhouse_api_password clickhouse_grafana_password grafana_admin_password; do
  file="$dir/$name"
  if [[ -s "$file" ]]; then
    echo "exists   $file"
    continue
  fi
  # 32 bytes of randomness, base64url without padding: safe in XML, SQL string literals and URLs.
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file"
  # Readable by the containers' non-root users (the directory itself is 0700 on the host).
  chmod 644 "$file"
  echo "created  $file"
done

# The api's bearer tokens: the file holds only SHA-256 hashes (services/api/src/tokens.ts); the token itself is kept
# beside it for the operator and is not mounted into any container. Add regulator/operator lines per docs/runbook.md.
tokens="$dir/api_tokens.ndjson"
if [[ -s "$tokens" ]]; then
  echo "exists   $tokens"
else
  token="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  umask 077
  printf '%s\n' "$token" >"$dir/api_analyst_token"
  printf '{"name":"analysts","role":"analyst","clearance":"amber","sha256":"%s"}\n' \
    "$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)" >"$tokens"
  chmod 644 "$tokens"
  echo "created  $tokens (analyst token in $dir/api_analyst_token)"
fi
