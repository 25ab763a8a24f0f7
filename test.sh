#!/usr/bin/env bash
# Runs the whole ShelfAgent test suite. Installs what the tests need when it is missing:
# mosquitto + mosquitto-clients (Debian), and MQTT.js + ajv (npm, into .tools/) as independent peers.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dotnet >/dev/null; then
  echo "test.sh: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 69
fi
if [ ! -x /usr/sbin/mosquitto ] || ! command -v mosquitto_sub >/dev/null || ! command -v openssl >/dev/null; then
  echo "test.sh: installing mosquitto, mosquitto-clients, openssl"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients openssl >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "test.sh: installing nodejs and npm"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -f .tools/node_modules/mqtt/package.json ] || [ ! -f .tools/node_modules/ajv/package.json ]; then
  echo "test.sh: installing MQTT.js and ajv into .tools/"
  mkdir -p .tools
  npm install --silent --no-audit --no-fund --prefix .tools mqtt@5.16.0 ajv@8.20.0 ajv-formats@3.0.1 >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test ShelfAgent.sln -c Release --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for CI: "N passed, N failed" summed over the test projects.
awk '/(Passed|Failed)!  - Failed:/ { gsub(",", ""); f += $4; p += $6 } END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
