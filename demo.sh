#!/usr/bin/env bash
# The ShelfAgent demo on one machine, no AWS account needed: a local AWS IoT Core on 127.0.0.1:8883
# (local-iot-core: mosquitto requiring client certificates, Cloud's IoT policies, the device shadow and jobs;
# its state under .dev/iot-core/), the device's certificates from it under .dev/certs/, and the agent with
# seven simulated shelf slots, its shadow on. A viewer (shelf-agent watch, fed by mosquitto_sub) shows a live
# table of the slots with a status line (connection, telemetry, buffer depth), events, alerts and the agent's
# own warnings; SHELFAGENT_DEMO_RAW=1 shows the raw JSON instead. From a second terminal, local-iot-core sends
# the device a job or a desired change. The demo's agent is .dev/bin/shelf-agent with .dev/agent.json: pass
# --config .dev/agent.json to its commands (they default to /etc/shelf-agent/agent.json).
# Ctrl-C stops the agent first (an orderly MQTT DISCONNECT, so the broker publishes no last will), then
# the viewer, then the IoT Core and its broker: each runs in its own session (setsid), so the terminal's
# Ctrl-C reaches only this script, which stops them in that order.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
dev="${SHELFAGENT_DEMO_DIR:-$root/.dev}"
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

mkdir -p "$dev"
if [ -n "${SHELFAGENT_DEMO_AGENT:-}" ]; then
  agent="$SHELFAGENT_DEMO_AGENT"   # an already built shelf-agent (the tests pass theirs, local-iot-core beside it)
  core="$(dirname "$agent")/local-iot-core"
else
  echo "demo.sh: building the agent and the local AWS IoT Core"
  dotnet build Agent/Agent.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
  dotnet build Tools/LocalIotCore/LocalIotCore.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
  agent="$dev/bin/shelf-agent"
  core="$dev/bin/local-iot-core"
fi
if [ ! -x "$core" ]; then   # an agent given without local-iot-core beside it
  dotnet build Tools/LocalIotCore/LocalIotCore.csproj -c Release -o "$dev/bin" --nologo -v q >/dev/null
  core="$dev/bin/local-iot-core"
fi
state="$dev/iot-core"
shown() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }   # as typed from the repository root

# The demo publishes every sample ("Readings": "all") so the viewer moves within seconds; the shipped default sends
# per-minute summaries (Publish:Readings, docs/configuration.md) and keeps the raw grams on the device.
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
  "Shadow": { "Enabled": true },
  "Calibration": { "Path": "$dev/calibration.json" },
  "Sampling": { "IntervalMs": 1000 },
  "Publish": { "IntervalMs": 3000, "Readings": "all" },
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
core_pid="" viewer_pid="" agent_pid=""
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
  echo "demo.sh: stopping the agent (orderly MQTT DISCONNECT), then the viewer, then the IoT Core and its broker"
  stop "$agent_pid"
  stop "$viewer_pid"
  stop "$core_pid"
  echo "demo.sh: stopped. Logs: $(shown "$dev")/agent*.log (one per day), $(shown "$dev")/agent.console.log, $(shown "$dev")/iot-core.log, $(shown "$state")/broker/mosquitto.log; buffer: $(shown "$dev")/outbox.db"
  echo "demo.sh: the agent was $(shown "$agent") with $(shown "$dev")/agent.json; try: $(shown "$agent") buffer stats --config $(shown "$dev")/agent.json"
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM

: > "$dev/agent.console.log"
# The local AWS IoT Core keeps its CA, things, shadows and jobs in $state across runs; it is up once it has
# written its endpoint.json (with its own pid: an old one may be left from a killed run).
setsid "$core" start --state "$state" --port "$port" </dev/null >"$dev/iot-core.log" 2>&1 &
core_pid=$!
for _ in $(seq 300); do
  grep -Eqs "\"pid\": $core_pid([^0-9]|\$)" "$state/endpoint.json" && break
  kill -0 "$core_pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -Eqs "\"pid\": $core_pid([^0-9]|\$)" "$state/endpoint.json"; then
  echo "demo.sh: local-iot-core did not start; its output ($dev/iot-core.log):" >&2
  tail -n 20 "$dev/iot-core.log" >&2 || true
  exit 69
fi
# The device: a thing with the store as attribute (Cloud's device policy needs it) and its certificate; the viewer:
# a read-only observer. Both certificates signed by the core's CA, written with ca.crt into $dev/certs.
"$core" thing add "$thing" --attr "storeId=$store" --out "$dev/certs" --state "$state" >/dev/null
"$core" observer add demo-viewer --out "$dev/certs" --state "$state" >/dev/null

echo "demo.sh: local AWS IoT Core on 127.0.0.1:$port (mutual TLS, shadow and jobs; log $(shown "$dev/iot-core.log")). Watching $thing; Ctrl-C stops everything."
echo "demo.sh: from another terminal: $(shown "$core") --state $(shown "$state") shadow desire --thing $thing '{\"Publish\":{\"IntervalMs\":10000}}'"
echo "demo.sh: the agent is $(shown "$agent") with $(shown "$dev")/agent.json (commands default to /etc/shelf-agent/agent.json: pass --config). Try, in another terminal:"
echo "  $(shown "$agent") buffer stats --config $(shown "$dev")/agent.json"
echo "  $(shown "$agent") sensors read --config $(shown "$dev")/agent.json"
echo "  $(shown "$agent") calibrate tare --slot A1 --config $(shown "$dev")/agent.json    (then calibrate span --slot A1 --grams 1000; docs/simulator.md)"
view=(watch --log "$dev/agent.console.log" --config "$dev/agent.json")
[ "${SHELFAGENT_DEMO_RAW:-0}" = 1 ] && view=(watch --raw)
# The viewer's subscriber and table share one session; the table draws on this terminal. It also listens to the
# device's shadow reports, which carry the buffer's depth.
setsid bash -c 'mosquitto_sub -h localhost -p "$1" --cafile "$2/certs/ca.crt" --cert "$2/certs/demo-viewer.crt" --key "$2/certs/demo-viewer.key" \
  -i demo-viewer -q 1 -t "dt/shelf/$3/$4/#" -t "\$aws/things/$4/shadow/update" -v | "${@:5}"' demo-viewer "$port" "$dev" "$store" "$thing" "$agent" "${view[@]}" </dev/null &
viewer_pid=$!
sleep 0.5

# SHELFAGENT_* variables are agent.json overrides: the demo's own must not reach the agent.
setsid env -u SHELFAGENT_DEMO_PORT -u SHELFAGENT_DEMO_DIR -u SHELFAGENT_DEMO_AGENT -u SHELFAGENT_DEMO_RAW \
  "$agent" run --config "$dev/agent.json" </dev/null >"$dev/agent.console.log" 2>&1 &
agent_pid=$!

wait -n "$core_pid" "$viewer_pid" "$agent_pid" || true
echo "demo.sh: a process exited early; last agent output:" >&2
tail -n 20 "$dev/agent.console.log" >&2 || true
