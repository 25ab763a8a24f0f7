#!/usr/bin/env bash
# footprint: the agent's memory, start-up and CPU cost per build, side by side in one run (same machine load).
#   Bench/footprint.sh [MINUTES] [SLOTS] [STARTS]      defaults: 5 minutes, 24 simulated slots, 5 starts
# Builds linux-x64 three ways — Native AOT (publish-profiles/linux-x64.pubxml), the trimmed self-contained single
# file (linux-x64-singlefile.pubxml, the pre-AOT release) and the framework-dependent JIT build (dotnet build) —
# and for each: exec → first PUBACK over STARTS fresh starts, the builds in turns (Bench/footprint-start.sh; measured as exec → the subscriber receiving the
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
. "$(dirname "$0")/footprint-agent.sh"
for v in "${variants[@]}"; do
  mkdir -p "$work/$v.run"
  footprint_agent_files "$first" "$work/$v.run" "" "$slots"
  footprint_broker "$work/$v.run"; pids+=("$broker_pid")
done
sleep 1

# exec → first PUBACK, STARTS times per build, the builds in turns (Bench/footprint-start.sh).
declare -A startup
SLOTS=$slots "$(dirname "$0")/footprint-start.sh" "$starts" "$work/aot/shelf-agent" "$work/singlefile/shelf-agent" "$work/jit/shelf-agent" \
  | tee "$work/startup.txt"
for v in "${variants[@]}"; do
  startup[$v]=$(grep -F "$work/$v/shelf-agent: " "$work/startup.txt" | sed 's/^[^:]*: //')
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
