#!/usr/bin/env bash
# The ShelfAgent demo on one machine, no AWS account needed: a local mosquitto on 127.0.0.1:8883 that
# requires client certificates, development certificates under .dev/, and the agent with six simulated
# shelf slots. Telemetry is shown as it arrives (mosquitto_sub) until Ctrl-C; then everything started
# here is stopped.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
dev="$root/.dev"
thing=demo-shelf-01
store=store-0042
port=${SHELFAGENT_DEMO_PORT:-8883}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v dotnet >/dev/null; then
  echo "demo.sh: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 69
fi
if [ ! -x /usr/sbin/mosquitto ] || ! command -v mosquitto_sub >/dev/null; then
  echo "demo.sh: installing mosquitto and mosquitto-clients"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients >/dev/null
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "demo.sh: something already listens on 127.0.0.1:$port (a system mosquitto? 'systemctl stop mosquitto'), or set SHELFAGENT_DEMO_PORT" >&2
  exit 69
fi

echo "demo.sh: building the agent"
mkdir -p "$dev"
dotnet build Agent/Agent.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
agent="$dev/bin/shelf-agent"

"$agent" dev-certs --out "$dev/certs" --thing "$thing" >/dev/null
"$agent" dev-certs --out "$dev/certs" --thing demo-viewer >/dev/null

cat > "$dev/mosquitto.conf" <<CONF
listener $port 127.0.0.1
cafile $dev/certs/ca.crt
certfile $dev/certs/server.crt
keyfile $dev/certs/server.key
require_certificate true
use_identity_as_username true
tls_version tlsv1.2
persistence true
persistence_location $dev/
log_dest file $dev/mosquitto.log
$( [ "$(id -u)" -eq 0 ] && echo "user root" )
CONF

cat > "$dev/agent.json" <<JSON
{
  "Device": { "ThingName": "$thing", "StoreId": "$store" },
  "Mqtt": {
    "Host": "localhost", "Port": $port,
    "CaFile": "$dev/certs/ca.crt",
    "CertFile": "$dev/certs/$thing.crt",
    "KeyFile": "$dev/certs/$thing.key",
    "KeepAliveSeconds": 60
  },
  "Buffer": { "Path": "$dev/outbox.db" },
  "Sampling": { "IntervalMs": 1000 },
  "Publish": { "IntervalMs": 3000 },
  "Logging": { "Level": "Information", "File": "$dev/agent.log" },
  "Slots": [
    { "Id": "A1", "Sku": "COLA-355",       "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 240 } },
    { "Id": "A2", "Sku": "COLA-ZERO-355",  "UnitGrams": 366, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 180 } },
    { "Id": "A3", "Sku": "LEMON-500",      "UnitGrams": 525, "TareGrams": 150, "Capacity": 16, "LowStockAt": 3, "Sensor": { "Type": "Simulated", "PicksPerHour": 120 } },
    { "Id": "B1", "Sku": "WATER-500",      "UnitGrams": 515, "TareGrams": 180, "Capacity": 18, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 300 } },
    { "Id": "B2", "Sku": "ORANGE-330",     "UnitGrams": 350, "TareGrams": 180, "Capacity": 20, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 90 } },
    { "Id": "B3", "Sku": "ENERGY-250",     "UnitGrams": 275, "TareGrams": 180, "Capacity": 30, "LowStockAt": 6, "Sensor": { "Type": "Simulated", "PicksPerHour": 150, "FaultProbability": 0.02 } }
  ]
}
JSON

pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "demo.sh: stopping"
  # Newest first, each waited for: the agent says DISCONNECT before the broker goes away.
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  echo "demo.sh: stopped. Logs: $dev/agent*.log (one per day), $dev/mosquitto.log; buffer: $dev/outbox.db"
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM

/usr/sbin/mosquitto -c "$dev/mosquitto.conf" &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "demo.sh: mosquitto on 127.0.0.1:$port (mutual TLS). Telemetry from $thing follows; Ctrl-C stops everything."
mosquitto_sub -h localhost -p "$port" --cafile "$dev/certs/ca.crt" \
  --cert "$dev/certs/demo-viewer.crt" --key "$dev/certs/demo-viewer.key" \
  -i demo-viewer -q 1 -t "dt/shelf/$store/$thing/#" -v &
pids+=($!)
sleep 0.5

"$agent" run --config "$dev/agent.json" >"$dev/agent.console.log" 2>&1 &
pids+=($!)

wait -n "${pids[@]}" || true
echo "demo.sh: a process exited early; last agent output:" >&2
tail -n 20 "$dev/agent.console.log" >&2 || true
