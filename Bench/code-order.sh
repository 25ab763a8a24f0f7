#!/usr/bin/env bash
# code-order: writes publish-profiles/shelf-agent.order, the managed methods the agent runs, in order of first use, which
# the Native AOT publish profiles place first in the code section (IlcOrderFile; docs/benchmarks.md, "Footprint … Round 6").
#   Bench/code-order.sh [SECONDS]          default 300 s a run (the shipped file); OUT=FILE writes elsewhere; NO_BUILD=DIR uses DIR/shelf-agent
# Why: the kernel maps a file page together with its neighbours (fault-around, 64 KB), and the methods a running agent
# uses were spread over the whole 7 MB of managed code, so nearly all of it became resident. Placed together they fill
# about 1.7 MB (docs/benchmarks.md: resident code 7.8 → 2.9 MB).
# How: publishes the linux-x64 profile with symbols and without an order, then runs it twice under Bench/code-order/onceprobe
# (a one-shot breakpoint at every managed method; each method is written when a thread first reaches it) with the footprint
# benchmark's 24 slots: once against a running broker, once with the broker started 20 s late and the shadow on (the
# connect retries, the shadow's requests). The names of the methods reached, run 1's order then run 2's additions, are
# the order file. Needs root or ptrace rights, clang or cc, mosquitto. Re-run it when the agent's code changes much: a
# method missing from the file is only placed after the ordered ones (a page of the cold part costs 64 KB when used).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}; out=${OUT:-publish-profiles/shelf-agent.order}
work=$(mktemp -d /tmp/code-order.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
if [ -n "${NO_BUILD:-}" ]; then bin=$(realpath "$NO_BUILD")/shelf-agent; else
  echo "code-order: publishing linux-x64 with symbols and no order file into $work/bin"
  dotnet publish Agent/Agent.csproj -p:PublishProfile=linux-x64 -p:StripSymbols=false -p:IlcOrderFile= -o "$work/bin" --nologo -v q >&2
  bin=$work/bin/shelf-agent
fi
"${CC:-$(command -v clang || command -v cc)}" -O2 -o "$work/onceprobe" Bench/code-order/onceprobe.c
nm -n "$bin" > "$work/nm.txt"
python3 - "$bin" "$work/nm.txt" "$work/offsets.txt" <<'PY'
import subprocess, sys
binary, nm, out = sys.argv[1:4]
section = next(l.split() for l in subprocess.run(['readelf', '-SW', binary], capture_output=True, text=True).stdout.splitlines()
               if '__managedcode' in l)
i = section.index('__managedcode'); lo, size = int(section[i + 2], 16), int(section[i + 4], 16)
starts = set()
for line in open(nm):
    p = line.rstrip('\n').split(' ', 2)
    if len(p) == 3 and p[0] and p[1] in 'tT' and lo <= int(p[0], 16) < lo + size:
        starts.add(int(p[0], 16))
open(out, 'w').write(''.join(f'{a:x}\n' for a in sorted(starts)))
print(f'code-order: {len(starts)} managed methods, {size / 1024:.0f} KB of managed code')
PY
. Bench/footprint-agent.sh
probe() { # NAME DELAY EXTRA_JSON: one run under onceprobe, the broker started DELAY seconds after the agent
  local dir=$work/$1; mkdir -p "$dir"
  footprint_agent_files "$bin" "$dir" "$3"
  (sleep "$2"; exec /usr/sbin/mosquitto -c "$dir/mosquitto.conf" 2>/dev/null) & pids+=($!)
  "$work/onceprobe" "$work/offsets.txt" "$dir/hits.txt" "$secs" -- "$bin" run --config "$dir/agent.json" > "$dir/agent.log" 2>&1
  grep onceprobe "$dir/agent.log" | tail -1
}
probe connected 0 ''
probe late-broker 20 '"Shadow": { "Enabled": true },'
python3 - "$work/nm.txt" "$out" "$work/connected/hits.txt" "$work/late-broker/hits.txt" <<'PY'
import sys
nm, out, runs = sys.argv[1], sys.argv[2], sys.argv[3:]
names, starts = {}, []
for line in open(nm):
    p = line.rstrip('\n').split(' ', 2)
    if len(p) == 3 and p[0] and p[1] in 'tT':
        a = int(p[0], 16); starts.append(a)
        if not p[2].startswith(('__start', '__stop')): names.setdefault(a, []).append(p[2])
starts = sorted(set(starts)); end = dict(zip(starts, starts[1:]))
seen, known, size = [], set(), 0
for run in runs:
    for line in open(run):
        a = int(line, 16)
        if a not in known: known.add(a); seen.append(a); size += end.get(a, a) - a
with open(out, 'w') as o:
    for a in seen:
        for n in names.get(a, []): o.write(n + '\n')
print(f'code-order: {len(seen)} methods reached, {size / 1024:.0f} KB of code, written to {out}')
PY
