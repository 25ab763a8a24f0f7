#!/usr/bin/env bash
# Renders a shelf-sim report.html to a PNG in headless Chromium (Debian's `chromium`), as the screenshot in
# docs/simulator.md was made:   Bench/fleet/report-png.sh REPORT.html OUT.png [WIDTHxHEIGHT]
set -euo pipefail
html=$(realpath "$1")
png=$(realpath -m "$2")
size=${3:-1320x2300}
if ! command -v chromium >/dev/null; then
  echo "report-png: chromium is needed (apt-get install chromium)" >&2
  exit 69
fi
# --no-sandbox: root in a container has no user namespaces for Chromium's sandbox; the page is our own file.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="${size/x/,}" \
  --screenshot="$png" "file://$html" >/dev/null 2>&1
echo "report-png: $png"
