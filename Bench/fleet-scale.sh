#!/usr/bin/env bash
# The simulator fleet at scale, side by side with a fleet of MQTT.js clients in the same run (docs/benchmarks.md):
#   Bench/fleet-scale.sh [DEVICES] [SECONDS] [PEER_DEVICES]       defaults: 10000 300 2000
# shelf-sim runs DEVICES devices (each its own EC P-256 certificate, cached under $OUT/sim, client id = thing name,
# in-memory outbox) against a mosquitto of its own with a per-thing ACL (LocalIotCore's MosquittoBroker, started by
# shelf-sim); once that fleet is up, PEER_DEVICES MQTT.js clients (Bench/fleet/mqttjs-fleet.cjs, each its own
# certificate and client id) do the same work on the same broker. Both write what they used; the script prints the
# limits it ran with and the machine's load. Env: OUT (default .dev/fleet-scale), CONNECT_RATE (default 100), PORT
# (default 18883), NO_BUILD=1 (use the shelf-sim already built), READINGS (default summaries: the agent's shipped
# Publish:Readings, one message a device a minute, the MQTT.js peer then sends its batch once a minute too; all: every
# sample, a message a device every 5 s on both sides).
set -euo pipefail
cd "$(dirname "$0")/.."

devices=${1:-10000}
seconds=${2:-300}
peer=${3:-2000}
rate=${CONNECT_RATE:-100}
port=${PORT:-18883}
out=${OUT:-.dev/fleet-scale}
readings=${READINGS:-summaries}
peer_interval_ms=$([ "$readings" = all ] && echo 5000 || echo 60000)
mkdir -p "$out"

# Both processes and the broker they start inherit this: 10,000 TLS connections need 10,000 descriptors in the
# simulator and as many in mosquitto (whose max_connections is unlimited by default). The hard limit is as far as
# a process may go; on this machine it is 20,000 and cannot be raised, even as root.
ulimit -n "$(ulimit -Hn)"
echo "fleet-scale: open files limit $(ulimit -n) (hard $(ulimit -Hn)); memory $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo)," \
  "cgroup limit $(cat /sys/fs/cgroup/memory.max 2>/dev/null || echo none); $(nproc) cores; load: $(uptime | sed 's/.*load average: //')"
if [ ! -f .tools/node_modules/mqtt/package.json ]; then
  npm install --silent --no-audit --no-fund --prefix .tools mqtt@5.16.0 >/dev/null
fi
[ -n "${NO_BUILD:-}" ] || dotnet build Simulator -c Release --nologo -v q >/dev/null

sim_log="$out/shelf-sim.log"
# glibc's malloc keeps up to 8 arenas a core; two hold the simulator's native allocations (OpenSSL, SQLite) with ~10 %
# less resident memory (docs/benchmarks.md, "Where a simulated device's memory goes").
MALLOC_ARENA_MAX=2 /usr/bin/time -v -o "$out/shelf-sim.time" dotnet Simulator/bin/Release/net10.0/shelf-sim.dll \
  --broker mosquitto --port "$port" --stores $((devices / 2)) --devices-per-store 2 --slots 6 \
  --time-scale 1 --sampling-ms 5000 --connect-rate "$rate" --duration "$seconds" --outbox memory --readings "$readings" \
  --no-dashboard --work-dir "$out/sim" --report "$out/report" >"$sim_log" 2>&1 &
sim=$!
trap 'kill "$sim" 2>/dev/null || true' EXIT

# The peer starts once the simulator's broker is up and its certificates issued (its first line).
until grep -q "devices × " "$sim_log" 2>/dev/null; do
  if ! kill -0 "$sim" 2>/dev/null; then cat "$sim_log"; exit 1; fi
  sleep 1
done
head -1 "$sim_log"

ca="$out/sim/broker/ca.crt"
certs="$out/peer-certs"
mkdir -p "$certs"
for i in $(seq 1 "$peer"); do
  thing=$(printf 'js-%05d' "$i")
  [ -f "$certs/$thing.crt" ] && continue
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$certs/$thing.key" -subj "/CN=$thing" 2>/dev/null |
    openssl x509 -req -CA "$ca" -CAkey "$out/sim/broker/ca.key" -days 30 -out "$certs/$thing.crt" 2>/dev/null
done

peer_seconds=$((seconds * 2 / 3))
echo "fleet-scale: MQTT.js fleet of $peer for $peer_seconds s on the same broker"
node Bench/fleet/mqttjs-fleet.cjs --port "$port" --ca "$ca" --certs "$certs" --devices "$peer" --seconds "$peer_seconds" \
  --connect-rate "$rate" --sampling-ms "$peer_interval_ms" >"$out/mqttjs.json" 2>"$out/mqttjs.log" || true
echo "fleet-scale: MQTT.js: $(cat "$out/mqttjs.json")"

wait "$sim" || true
trap - EXIT
grep -v '^\[' "$sim_log" | tail -n 25
grep -E "Maximum resident|Elapsed \(wall|User time|System time" "$out/shelf-sim.time" || true
echo "fleet-scale: load after: $(uptime | sed 's/.*load average: //'); report: $out/report/report.json and report.html"
