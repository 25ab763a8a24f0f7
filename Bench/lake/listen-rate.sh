#!/usr/bin/env bash
# How fast `local-lake listen` takes telemetry from the local IoT Core into the raw tables (docs/benchmarks.md, issue 24).
# Usage: Bench/lake/listen-rate.sh [MESSAGES=20000] [READINGS_PER_MESSAGE=10]; after a Release build of the solution.
# Publishes MESSAGES shelf.telemetry.v1 batches (QoS 1, mosquitto_pub -l, one device) and waits until listen has written
# every reading row; prints the messages per second from the first publish to the last row written.
set -euo pipefail
n=${1:-20000}; per=${2:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
core="dotnet $root/Tools/LocalIotCore/bin/Release/net10.0/local-iot-core.dll"
lake="dotnet $root/Tools/LocalLake/bin/Release/net10.0/local-lake.dll"
work=$(mktemp -d); trap 'kill $listen_pid $core_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
$core start --state "$work/core" --port "$port" --quiet > "$work/core.log" 2>&1 & core_pid=$!
for _ in $(seq 100); do [ -f "$work/core/endpoint.json" ] && break; sleep 0.2; done
$core --state "$work/core" thing add bench-0001-01 --attr storeId=store-0001 --out "$work/dev" > /dev/null
$core --state "$work/core" observer add local-lake --out "$work/obs" > /dev/null
$lake --lake "$work/lake" listen --broker "127.0.0.1:$port" --ca "$work/obs/ca.crt" --cert "$work/obs/local-lake.crt" \
  --key "$work/obs/local-lake.key" > "$work/listen.log" 2>&1 & listen_pid=$!
until grep -q "Ctrl+C stops" "$work/listen.log"; do sleep 0.2; done
python3 - "$n" "$per" > "$work/batches.jsonl" <<'PY'
import sys, datetime
n, per = int(sys.argv[1]), int(sys.argv[2])
t0 = datetime.datetime(2026, 12, 7, tzinfo=datetime.timezone.utc)
seq = 0
for i in range(n):
    rs = []
    for k in range(per):
        seq += 1
        ts = (t0 + datetime.timedelta(seconds=seq)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
        rs.append('{"seq":%d,"ts":"%s","slot":"A%d","sku":"SKU-%d","grams":%.1f,"count":%d,"status":"ok"}' % (seq, ts, k, k, 400.0 + k, 4))
    print('{"schema":"shelf.telemetry.v1","thing":"bench-0001-01","store":"store-0001","sent":"%s","readings":[%s]}' % (ts, ",".join(rs)))
PY
start=$(date +%s.%N)
# mosquitto_pub stops at 65,535 messages on one connection (docs FACTS): split the input.
split -l 60000 "$work/batches.jsonl" "$work/part-"
for part in "$work"/part-*; do
  mosquitto_pub -h 127.0.0.1 -p "$port" --cafile "$work/dev/ca.crt" --cert "$work/dev/bench-0001-01.crt" --key "$work/dev/bench-0001-01.key" \
    -i bench-0001-01 -q 1 -t dt/shelf/store-0001/bench-0001-01/telemetry -l < "$part"
done
published=$(date +%s.%N)
want=$((n * per))
until [ "$(grep -o 'wrote [0-9]* readings' "$work/listen.log" | awk '{s+=$2} END {print s+0}')" -ge "$want" ]; do sleep 0.1; done
done_at=$(date +%s.%N)
kill -TERM $listen_pid; wait $listen_pid || true
tail -1 "$work/listen.log"
python3 -c "import sys; s,p,d=map(float,sys.argv[1:4]); n=int(sys.argv[4]); print(f'published in {p-s:.1f} s; all {n} messages in the lake after {d-s:.1f} s: {n/(d-s):,.0f} msg/s ({n*int(sys.argv[5])/(d-s):,.0f} readings/s)')" \
  "$start" "$published" "$done_at" "$n" "$per"
du -sh "$work/lake/raw"
