#!/usr/bin/env bash
# Installs Debian's chromium when it is missing, so the dashboard's browser tests drive a packaged browser and
# playwright-core never downloads one. Prints the browser's path on stdout (the last line).
set -euo pipefail
find_browser() { command -v chromium || command -v chromium-browser || true; }
browser=$(find_browser)
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-chromium: chromium is missing and installing it needs root (apt-get install -y chromium)" >&2
    exit 1
  fi
  echo "ensure-chromium: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >&2 || { apt-get update >&2 && apt-get install -y --no-install-recommends chromium >&2; }
  browser=$(find_browser)
fi
[ -n "$browser" ] || { echo "ensure-chromium: chromium not found after installing" >&2; exit 1; }
echo "$browser"
