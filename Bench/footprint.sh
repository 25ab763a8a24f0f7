#!/usr/bin/env bash
# footprint: the agent's memory, start-up and CPU cost per build, side by side in one run (same machine load).
#   Bench/footprint.sh [MINUTES] [SLOTS] [STARTS]      defaults: 5 minutes, 24 simulated slots, 5 starts
# Builds linux-x64 three ways — Native AOT (publish-profiles/linux-x64.pubxml), the trimmed self-contained single
# file (linux-x64-singlefile.pubxml, the pre-AOT release) and the framework-dependent JIT build (dotnet build) —
# and for each: exec → first PUBACK over STARTS fresh starts (measured as exec → the subscriber receiving the
# agent's QoS 1 {"online":true}: mosquitto forwards it as it acknowledges it), then all three run at once for
# MINUTES against their own local mosquitto (127.0.0.1, mutual TLS) with SLOTS simulated slots, RSS sampled
# every second from /proc, CPU seconds from /proc/PID/stat. Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-5}
slots=${2:-24}
starts=${3:-5}
work=$(mktemp -d /tmp/footprint.XXXXXX)
pids=()
cleanup() { for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done; }
trap cleanup EXIT
echo "footprint: work folder $work; load before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"

dotnet publish Agent/Agent.csproj -p:PublishProfile=linux-x64 -o "$work/aot" --nologo -v q
dotnet publish Agent/Agent.csproj -p:PublishProfile=linux-x64-singlefile -o "$work/singlefile" --nologo -v q
dotnet build Agent/Agent.csproj -c Release -o "$work/jit" --nologo -v q >/dev/null
variants=(aot singlefile jit)
first="$work/jit/shelf-agent"
"$first" dev-certs --out "$work/certs" --thing fp-device >/dev/null
"$first" dev-certs --out "$work/certs" --thing fp-viewer >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
slot_json() {
  local i sep=""
  for ((i = 1; i <= slots; i++)); do
    printf '%s{ "Id": "S%02d", "Sku": "SKU-%02d", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "Seed": %d } }' "$sep" "$i" "$i" "$i"
    sep=","
  done
}
declare -A port
for v in "${variants[@]}"; do
  port[$v]=$(free_port)
  mkdir -p "$work/$v.run"
  cat > "$work/$v.run/mosquitto.conf" <<CONF
listener ${port[$v]} 127.0.0.1
cafile $work/certs/ca.crt
certfile $work/certs/server.crt
keyfile $work/certs/server.key
require_certificate true
use_identity_as_username true
log_dest none
$( [ "$(id -u)" -eq 0 ] && echo "user root" )
CONF
  /usr/sbin/mosquitto -c "$work/$v.run/mosquitto.conf" &
  pids+=($!)
  cat > "$work/$v.run/agent.json" <<JSON
{
  "Device": { "ThingName": "fp-device", "StoreId": "fp-store" },
  "Mqtt": { "Host": "localhost", "Port": ${port[$v]}, "CaFile": "$work/certs/ca.crt",
            "CertFile": "$work/certs/fp-device.crt", "KeyFile": "$work/certs/fp-device.key" },
  "Buffer": { "Path": "$work/$v.run/outbox.db" },
  "Calibration": { "Path": "$work/$v.run/calibration.json" },
  "Logging": { "Level": "Warning" },
  "Slots": [ $(slot_json) ]
}
JSON
done
sleep 1

# exec → first PUBACK, STARTS times per build, one build at a time.
declare -A startup
for v in "${variants[@]}"; do
  times=()
  for ((n = 0; n < starts; n++)); do
    rm -f "$work/$v.run/sub.txt"
    mosquitto_sub -h localhost -p "${port[$v]}" --cafile "$work/certs/ca.crt" --cert "$work/certs/fp-viewer.crt" \
      --key "$work/certs/fp-viewer.key" -i fp-viewer -q 1 -t "dt/shelf/fp-store/fp-device/status" -F '%U %p' >> "$work/$v.run/sub.txt" &
    sub=$!
    for _ in $(seq 50); do grep -q . "$work/$v.run/sub.txt" 2>/dev/null && break; sleep 0.1; done
    # The retained status of the previous start arrives first (O_APPEND, so emptying the file is safe).
    sleep 0.5
    : > "$work/$v.run/sub.txt"
    t0=$(date +%s.%N)
    "$work/$v/shelf-agent" run --config "$work/$v.run/agent.json" > "$work/$v.run/agent.start.log" 2>&1 &
    agent=$!
    t1=""
    for _ in $(seq 600); do
      line=$(grep '"online":true' "$work/$v.run/sub.txt" | head -1 || true)
      if [ -n "$line" ]; then t1=${line%% *}; break; fi
      sleep 0.02
    done
    kill -TERM "$agent"; wait "$agent" || true
    kill -TERM "$sub"; wait "$sub" 2>/dev/null || true
    [ -n "$t1" ] && times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')")
  done
  startup[$v]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "none"; else printf "%d ms (median of %d; %d–%d)", a[int((NR + 1) / 2)], NR, a[1], a[NR] }')
  echo "footprint: $v exec → first PUBACK: ${startup[$v]}"
done

# All three at once for MINUTES.
declare -A apid
for v in "${variants[@]}"; do
  "$work/$v/shelf-agent" run --config "$work/$v.run/agent.json" > "$work/$v.run/agent.log" 2>&1 &
  apid[$v]=$!
  pids+=(${apid[$v]})
done
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
warm=60
total=$((minutes * 60))
declare -A cpu0
echo "footprint: sampling RSS every second for $total s (the first $warm s are warm-up, not in the steady figures)"
for ((s = 1; s <= total; s++)); do
  sleep 1
  for v in "${variants[@]}"; do
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/${apid[$v]}/status")
    echo "$s $rss" >> "$work/$v.run/rss.txt"
    [ "$s" -eq "$warm" ] && cpu0[$v]=$(cpu "${apid[$v]}")
  done
done
echo "footprint: load after: $(cut -d' ' -f1-3 /proc/loadavg)"

size_of() {
  case $1 in
    aot) du -cb "$work/aot/shelf-agent" "$work"/aot/*.so | tail -1 | awk '{ printf "%.1f MB (shelf-agent + libe_sqlite3.so)", $1 / 1e6 }' ;;
    singlefile) du -b "$work/singlefile/shelf-agent" | awk '{ printf "%.1f MB", $1 / 1e6 }' ;;
    jit) du -sb --exclude=certs "$work/jit" | awk '{ printf "%.1f MB + the shared .NET runtime", $1 / 1e6 }' ;;
  esac
}
echo
echo "| build | steady RSS (median / max, after ${warm} s) | peak RSS | exec → first PUBACK | size | CPU s per hour |"
echo "|---|---|---|---|---|---|"
for v in "${variants[@]}"; do
  steady=$(awk -v w="$warm" '$1 > w { print $2 }' "$work/$v.run/rss.txt" | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f / %.1f MB", a[int((NR + 1) / 2)] / 1024, a[NR] / 1024 }')
  peak=$(sort -k2 -n "$work/$v.run/rss.txt" | tail -1 | awk '{ printf "%.1f MB", $2 / 1024 }')
  cpu1=$(cpu "${apid[$v]}")
  perhour=$(awk -v a="${cpu0[$v]}" -v b="$cpu1" -v d="$((total - warm))" 'BEGIN { printf "%.0f", (b - a) / d * 3600 }')
  echo "| $v | $steady | $peak | ${startup[$v]} | $(size_of "$v") | $perhour |"
done
echo
echo "footprint: raw samples in $work/*.run/rss.txt"
