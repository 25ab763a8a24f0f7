# Sourced by Bench/footprint-pages.sh and Bench/code-order.sh: one agent with 24 simulated slots against a mosquitto of
# its own (127.0.0.1, mutual TLS, dev certificates) — the footprint benchmark's setting (docs/benchmarks.md); SLOTS
# (default 24) changes the number of slots.
#   footprint_agent_files BINARY WORK [EXTRA_JSON] [SLOTS]   writes WORK/certs, WORK/mosquitto.conf, WORK/agent.json
#   footprint_broker WORK                            starts the mosquitto in the background; its pid in $broker_pid
# EXTRA_JSON: more top-level members of agent.json, e.g. '"Shadow": { "Enabled": true },'.
footprint_agent_files() {
  local bin=$1 work=$2 extra=${3:-} count=${4:-24} port slots="" sep=""
  "$bin" dev-certs --out "$work/certs" --thing fp-device >/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat > "$work/mosquitto.conf" <<CONF
listener $port 127.0.0.1
cafile $work/certs/ca.crt
certfile $work/certs/server.crt
keyfile $work/certs/server.key
require_certificate true
use_identity_as_username true
log_dest none
$( [ "$(id -u)" -eq 0 ] && echo "user root" )
CONF
  for i in $(seq 1 "$count"); do
    slots+="$sep$(printf '{ "Id": "S%02d", "Sku": "SKU-%02d", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "Seed": %d } }' "$i" "$i" "$i")"
    sep=","
  done
  cat > "$work/agent.json" <<JSON
{ "Device": { "ThingName": "fp-device", "StoreId": "fp-store" },
  "Mqtt": { "Host": "localhost", "Port": $port, "CaFile": "$work/certs/ca.crt",
            "CertFile": "$work/certs/fp-device.crt", "KeyFile": "$work/certs/fp-device.key" },
  "Buffer": { "Path": "$work/outbox.db" }, "Calibration": { "Path": "$work/calibration.json" }, $extra
  "Logging": { "Level": "Warning" }, "Slots": [ $slots ] }
JSON
}
footprint_broker() {
  /usr/sbin/mosquitto -c "$1/mosquitto.conf" 2>/dev/null & broker_pid=$!
}
