#!/usr/bin/env bash
# One turn of the learning loop on one machine, no AWS account needed (docs/models.md): simulated stores with POS
# sales from the same customers (shelf-sim traces, under .dev/loop/traces, made once), a DuckDB lake laid out as the
# cloud's Glue tables (.dev/loop/lake), then train → evaluate → approve → canary → watch → promote or roll back, a line
# per step. Run it again for another turn on the same stores (a new release, compared with the one in service).
# A release that evaluates worse than the one in service is not approved (the turn stops there); extra arguments go to
# `local-lake loop`, e.g. --override-reason "demo" to approve it anyway (recorded in approval.json).
# SHELFAGENT_LOOP_STORES / SHELFAGENT_LOOP_DAYS size the simulated fleet (default 4 stores × 17 days).
set -euo pipefail
cd "$(dirname "$0")"
dev="${SHELFAGENT_DEMO_DIR:-$(pwd)/.dev}"
loop="$dev/loop"

if ! command -v dotnet >/dev/null; then
  echo "demo-loop.sh: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 69
fi
echo "demo-loop.sh: building shelf-sim and local-lake"
dotnet build Simulator/Simulator.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
dotnet build Tools/LocalLake/LocalLake.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
if [ ! -d "$loop/traces" ]; then
  "$dev/bin/shelf-sim" traces --stores "${SHELFAGENT_LOOP_STORES:-4}" --days "${SHELFAGENT_LOOP_DAYS:-17}" \
    --slots 4 --sampling-seconds 60 --out "$loop/traces"
fi
"$dev/bin/local-lake" --lake "$loop/lake" loop --traces "$loop/traces" "$@"
