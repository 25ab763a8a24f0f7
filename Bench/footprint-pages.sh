#!/usr/bin/env bash
# footprint-pages: where one agent's resident memory is, page by page (docs/benchmarks.md, "Footprint … Round 5").
#   Bench/footprint-pages.sh BINARY [SECONDS] [VAR=VALUE ...]      default 150 s; e.g. the unit's DOTNET_GCgen0size=400000
# Runs BINARY (a published shelf-agent, e.g. `dotnet publish Agent/Agent.csproj -p:PublishProfile=linux-x64 -o DIR`)
# with 24 simulated slots against a mosquitto of its own (127.0.0.1, mutual TLS, dev certificates), the given
# environment added; samples VmRSS every second; at the end prints the steady RSS (median after the first third), the
# resident KB of each mapping of the binary from /proc/PID/pagemap (present bit; needs root to read it) and the RSS of
# the process by file and anonymous memory from /proc/PID/smaps. Run copies side by side from separate copies of the
# binary: a page two processes map is neither theirs alone nor given back by one.
set -euo pipefail
bin=$(realpath "$1"); secs=${2:-150}; shift $(( $# >= 2 ? 2 : 1 ))
work=$(mktemp -d /tmp/footprint-pages.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
. "$(dirname "$0")/footprint-agent.sh"
footprint_agent_files "$bin" "$work"
footprint_broker "$work"; pids+=("$broker_pid")
sleep 0.5
env "$@" "$bin" run --config "$work/agent.json" > "$work/agent.log" 2>&1 & agent=$!; pids=("$agent" "${pids[@]}")
echo "footprint-pages: $bin, $secs s, load before $(cut -d' ' -f1-3 /proc/loadavg), environment: ${*:-none}"
for ((s = 1; s <= secs; s++)); do sleep 1; awk '/^VmRSS/ { print $2 }' "/proc/$agent/status" >> "$work/rss.txt"; done
awk -v w=$((secs / 3)) 'NR > w { print $1 }' "$work/rss.txt" | sort -n |
  awk '{ a[NR] = $1 } END { printf "steady RSS (median after the first third): %.1f MB\n", a[int((NR + 1) / 2)] / 1024 }'
python3 - "$agent" "$bin" <<'PY'
import collections, re, struct, sys
pid, binary = sys.argv[1], sys.argv[2]
print("the binary's mappings (resident from pagemap):")
with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
    for line in open(f"/proc/{pid}/maps"):
        p = line.split()
        if len(p) < 6 or p[5] != binary:
            continue
        lo, hi = (int(x, 16) for x in p[0].split("-"))
        present = 0
        for va in range(lo, hi, 4096):
            pagemap.seek(va // 4096 * 8)
            present += struct.unpack("<Q", pagemap.read(8))[0] >> 63
        print(f"  {p[1]} offset {p[2]}: {present * 4} KB resident of {(hi - lo) // 1024} KB")
by = collections.Counter(); name = None
for line in open(f"/proc/{pid}/smaps"):
    if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
        p = line.split(); name = p[5].split("/")[-1] if len(p) > 5 else "[anonymous]"
    elif line.startswith("Rss:"):
        by[name] += int(line.split()[1])
print("RSS by mapping (smaps):", ", ".join(f"{k} {v} KB" for k, v in by.most_common(10)))
PY
echo "footprint-pages: load after $(cut -d' ' -f1-3 /proc/loadavg); work folder $work"
