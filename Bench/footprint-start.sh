#!/usr/bin/env bash
# footprint-start: exec → first PUBACK of published shelf-agent binaries, taken in turns (same machine load), against one
# mosquitto with the footprint benchmark's agent.json (Bench/footprint-agent.sh: 24 slots, mutual TLS).
#   Bench/footprint-start.sh STARTS BINARY [BINARY ...]      e.g. 7 out/old/shelf-agent out/new/shelf-agent
# Measured as Bench/footprint.sh does: from exec to a subscriber receiving the agent's QoS 1 {"online":true} (mosquitto
# forwards it as it acknowledges it). Prints the median and range per binary. SLOTS=N: N slots instead of 24.
set -euo pipefail
starts=$1; shift
work=$(mktemp -d /tmp/footprint-start.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
. "$(dirname "$0")/footprint-agent.sh"
footprint_agent_files "$(realpath "$1")" "$work" "" "${SLOTS:-24}"
"$(realpath "$1")" dev-certs --out "$work/certs" --thing fp-viewer >/dev/null
footprint_broker "$work"; pids+=("$broker_pid")
port=$(awk '/^listener/ { print $2 }' "$work/mosquitto.conf")
sleep 0.5
echo "footprint-start: $starts starts each, in turns; load before $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A times
for ((n = 0; n < starts; n++)); do
  for bin in "$@"; do
    rm -f "$work/sub.txt" "$work/outbox.db"*
    mosquitto_sub -h localhost -p "$port" --cafile "$work/certs/ca.crt" --cert "$work/certs/fp-viewer.crt" \
      --key "$work/certs/fp-viewer.key" -i fp-viewer -q 1 -t "dt/shelf/fp-store/fp-device/status" -F '%U %p' >> "$work/sub.txt" &
    sub=$!
    for _ in $(seq 50); do grep -q . "$work/sub.txt" 2>/dev/null && break; sleep 0.1; done
    sleep 0.5   # the retained status of the previous start arrives first (O_APPEND, so emptying the file is safe)
    : > "$work/sub.txt"
    t0=$(date +%s.%N)
    "$bin" run --config "$work/agent.json" > "$work/agent.log" 2>&1 & agent=$!
    t1=""
    for _ in $(seq 600); do
      line=$(grep '"online":true' "$work/sub.txt" | head -1 || true)
      if [ -n "$line" ]; then t1=${line%% *}; break; fi
      sleep 0.02
    done
    kill -TERM "$agent"; wait "$agent" || true
    kill -TERM "$sub"; wait "$sub" 2>/dev/null || true
    [ -n "$t1" ] && times[$bin]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }') "
  done
done
for bin in "$@"; do
  printf '%s\n' ${times[$bin]:-} | sort -n | awk -v b="$bin" '{ a[NR] = $1 } END {
    if (NR == 0) print b ": no start reached the broker"; else printf "%s: %d ms (median of %d; %d–%d)\n", b, a[int((NR + 1) / 2)], NR, a[1], a[NR] }'
done
echo "footprint-start: load after $(cut -d' ' -f1-3 /proc/loadavg)"
