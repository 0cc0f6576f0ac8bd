#!/usr/bin/env bash
# Installs what the tests need on a fresh machine; idempotent (installs only what is missing).
#   - Debian packages: chromium (browser interop), python3-websockets (Python peer),
#     clang + lld (Native AOT publish of samples/Echo), redis-server + redis-tools (the Redis backplane tests
#     start real servers and a 3-node cluster; redis-cli creates the cluster)
#   - npm packages of the interop tests (the Node 'ws' peer, playwright-core, and typescript, @asyncapi/parser, ajv
#     and ajv-formats for the AsyncAPI document and TypeScript client tests), from the lock file
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dot.net); 'dotnet' is not on PATH." >&2
  exit 1
fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || missing+=(python3-websockets)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v ld.lld >/dev/null 2>&1 || missing+=(lld)
dpkg -s zlib1g-dev >/dev/null 2>&1 || missing+=(zlib1g-dev)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

interop=tests/Interop.Tests/peers
# Installed again whenever the lock file changed since the last install (a stamp copy of it is kept in node_modules).
if [ -f "$interop/package-lock.json" ] && ! cmp -s "$interop/package-lock.json" "$interop/node_modules/.setup-package-lock.json"; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup: npm is required for the interop peers (Debian package: npm)." >&2
    exit 1
  fi
  echo "setup: installing the interop peers' npm packages"
  (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.setup-package-lock.json)
fi
