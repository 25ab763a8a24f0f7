#!/usr/bin/env bash
# The ShelfAgent demo on one machine, no AWS account needed: a local mosquitto on 127.0.0.1:8883 that
# requires client certificates, development certificates under .dev/, and the agent with seven simulated
# shelf slots. A viewer (shelf-agent watch, fed by mosquitto_sub) shows a live table of the slots with a
# status line (connection, telemetry, buffer depth), events, alerts and the agent's own warnings;
# SHELFAGENT_DEMO_RAW=1 shows the raw JSON instead. The demo's agent is .dev/bin/shelf-agent with
# .dev/agent.json: pass --config .dev/agent.json to its commands (they default to /etc/shelf-agent/agent.json).
# Ctrl-C stops the agent first (an orderly MQTT DISCONNECT, so the broker publishes no last will), then
# the viewer, then the broker: each runs in its own session (setsid), so the terminal's Ctrl-C reaches
# only this script, which stops them in that order.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
dev="${SHELFAGENT_DEMO_DIR:-$root/.dev}"
thing=demo-shelf-01
store=store-0042
port=${SHELFAGENT_DEMO_PORT:-8883}

# A path as the person can type it from the repository root.
rel() { case $1 in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }
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

mkdir -p "$dev"
if [ -n "${SHELFAGENT_DEMO_AGENT:-}" ]; then
  agent="$SHELFAGENT_DEMO_AGENT"   # an already built shelf-agent (the tests pass theirs)
else
  echo "demo.sh: building the agent"
  dotnet build Agent/Agent.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
  agent="$dev/bin/shelf-agent"
fi

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
log_timestamp_format %Y-%m-%dT%H:%M:%S
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
  "Calibration": { "Path": "$dev/calibration.json" },
  "Sampling": { "IntervalMs": 1000 },
  "Publish": { "IntervalMs": 3000 },
  "Logging": { "Level": "Information", "File": "$dev/agent.log" },
  "Slots": [
    { "Id": "C1", "Sku": "GUM-MINT-10",    "UnitGrams": 32,  "TareGrams": 90,  "Capacity": 10, "LowStockAt": 3, "Sensor": { "Type": "Simulated", "PicksPerHour": 1500 } },
    { "Id": "A1", "Sku": "COLA-355",       "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 240 } },
    { "Id": "A2", "Sku": "COLA-ZERO-355",  "UnitGrams": 366, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 180 } },
    { "Id": "A3", "Sku": "LEMON-500",      "UnitGrams": 525, "TareGrams": 150, "Capacity": 16, "LowStockAt": 3, "Sensor": { "Type": "Simulated", "PicksPerHour": 120 } },
    { "Id": "B1", "Sku": "WATER-500",      "UnitGrams": 515, "TareGrams": 180, "Capacity": 18, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 300 } },
    { "Id": "B2", "Sku": "ORANGE-330",     "UnitGrams": 350, "TareGrams": 180, "Capacity": 20, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 90 } },
    { "Id": "B3", "Sku": "ENERGY-250",     "UnitGrams": 275, "TareGrams": 180, "Capacity": 30, "LowStockAt": 6, "Sensor": { "Type": "Simulated", "PicksPerHour": 150, "FaultProbability": 0.15 } }
  ]
}
JSON

# Each child leads its own session, so the terminal's Ctrl-C (SIGINT to the foreground process group)
# reaches only this script; cleanup then stops them one by one, newest first, waiting for each.
broker_pid="" viewer_pid="" agent_pid=""
stop() { # pid: SIGTERM its whole process group, then wait for the leader and (5 s at most) the rest of the group
  [ -n "$1" ] || return 0
  kill -TERM -- "-$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  # The viewer's table comes after its shell is gone: let it finish before the next line is printed.
  for _ in $(seq 50); do kill -0 -- "-$1" 2>/dev/null || break; sleep 0.1; done
}
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "demo.sh: stopping the agent (orderly MQTT DISCONNECT), then the viewer, then the broker"
  stop "$agent_pid"
  stop "$viewer_pid"
  stop "$broker_pid"
  echo "demo.sh: stopped. Logs: $(rel "$dev")/agent*.log (one per day), $(rel "$dev")/agent.console.log, $(rel "$dev")/mosquitto.log; buffer: $(rel "$dev")/outbox.db"
  echo "demo.sh: the agent was $(rel "$agent") with $(rel "$dev")/agent.json; try: $(rel "$agent") buffer stats --config $(rel "$dev")/agent.json"
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM

: > "$dev/mosquitto.log"
: > "$dev/agent.console.log"
setsid /usr/sbin/mosquitto -c "$dev/mosquitto.conf" </dev/null &
broker_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "demo.sh: mosquitto on 127.0.0.1:$port (mutual TLS). Watching $thing; Ctrl-C stops everything."
echo "demo.sh: the agent is $(rel "$agent") with $(rel "$dev")/agent.json (commands default to /etc/shelf-agent/agent.json: pass --config). Try, in another terminal:"
echo "  $(rel "$agent") buffer stats --config $(rel "$dev")/agent.json"
echo "  $(rel "$agent") sensors read --config $(rel "$dev")/agent.json"
echo "  $(rel "$agent") calibrate tare --slot A1 --config $(rel "$dev")/agent.json    (then calibrate span --slot A1 --grams 1000; docs/simulator.md)"
view=(watch --log "$dev/agent.console.log" --config "$dev/agent.json")
[ "${SHELFAGENT_DEMO_RAW:-0}" = 1 ] && view=(watch --raw)
# The viewer's subscriber and table share one session; the table draws on this terminal. It also listens to the
# device's shadow reports, which carry the buffer's depth where a shadow service answers (AWS IoT Core).
setsid bash -c 'mosquitto_sub -h localhost -p "$1" --cafile "$2/certs/ca.crt" --cert "$2/certs/demo-viewer.crt" --key "$2/certs/demo-viewer.key" \
  -i demo-viewer -q 1 -t "dt/shelf/$3/$4/#" -t "\$aws/things/$4/shadow/update" -v | "${@:5}"' demo-viewer "$port" "$dev" "$store" "$thing" "$agent" "${view[@]}" </dev/null &
viewer_pid=$!
sleep 0.5

# SHELFAGENT_* variables are agent.json overrides: the demo's own must not reach the agent.
setsid env -u SHELFAGENT_DEMO_PORT -u SHELFAGENT_DEMO_DIR -u SHELFAGENT_DEMO_AGENT -u SHELFAGENT_DEMO_RAW \
  "$agent" run --config "$dev/agent.json" </dev/null >"$dev/agent.console.log" 2>&1 &
agent_pid=$!

wait -n "$broker_pid" "$viewer_pid" "$agent_pid" || true
echo "demo.sh: a process exited early; last agent output:" >&2
tail -n 20 "$dev/agent.console.log" >&2 || true
