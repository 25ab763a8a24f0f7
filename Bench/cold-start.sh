#!/usr/bin/env bash
# The cold-start measurement of issue 24 (docs/benchmarks.md, "Cold start … Round 5"): simulated stores with POS
# sales; "warm" devices have every reading since the first day, "cold" devices the same stores installed the day
# before the scored week (their earlier readings cut off; the stores' sales are kept). For each, the local lake
# ingests everything before the scored week, trains a release (sales-trained for the cold slots) and evaluates it
# on the week against the devices' own learning, with the strict scoring of issue 20.
# Usage: Bench/cold-start.sh SEED [STORES] [SLOTS] [OUT]    (Release builds of shelf-sim and local-lake)
set -euo pipefail
seed=${1:?seed}
stores=${2:-30}
slots=${3:-6}
out=${4:-/tmp/cold-start-$seed}
root=$(cd "$(dirname "$0")/.." && pwd)
sim="$root/Simulator/bin/Release/net10.0/shelf-sim"
lake=${LOCAL_LAKE:-"$root/Tools/LocalLake/bin/Release/net10.0/local-lake"}
start=2026-10-05      # a Monday; 2 weeks of history, the install day, the scored week
install=2026-10-19
scored=2026-10-20
rm -rf "$out" && mkdir -p "$out"
echo "cold-start: seed $seed, $stores stores x $slots slots, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
"$sim" traces --stores "$stores" --days 22 --sampling-seconds 60 --slots "$slots" --seed "$seed" --start "$start" --out "$out/warm" | tail -1
mkdir -p "$out/cold"
cp "$out"/warm/*.agent.json "$out"/warm/*.truth.jsonl "$out"/warm/*.sales.jsonl "$out/cold/"
for f in "$out"/warm/*.readings.jsonl; do
  # readings are in time order: keep those from the install day on (the ISO timestamps compare as text)
  awk -v d="\"ts\":\"$install" 'index($0, d) || keep { keep = 1; print }' "$f" > "$out/cold/$(basename "$f")"
done
for kind in warm cold; do
  l="$out/$kind.lake"
  "$lake" --lake "$l" ingest --traces "$out/$kind" --to "${scored}T00:00:00Z" > "$out/$kind.ingest.log"
  "$lake" --lake "$l" curate > /dev/null
  "$lake" --lake "$l" train --end "$scored" --release "r-$kind" --as data-scientist
  "$lake" --lake "$l" evaluate --release "r-$kind" --traces "$out/$kind" --against none
done
# One row per device and profiles: caught @30 / stock-outs, recall@30, strict precision, false alarms per slot-day.
for kind in warm cold; do
  for side in inService candidate; do
    jq -r --arg k "$kind" --arg s "$side" '
      [.[$s][]] as $r | ($r|map(.stockOuts)|add) as $so | ($r|map(.caught)|add) as $c | ($r|map(.alerts)|add) as $a
      | ($r|map(.trueAlerts)|add) as $t | ($r|map(.slotDays)|add) as $sd
      | "| \($k) | \(if $s == "inService" then "own learning" else "release" end) | \($c) / \($so) | \($c / $so * 1000 | round / 1000)"
        + " | \($t / $a * 1000 | round / 1000) | \(($a - $t) / $sd * 1000 | round / 1000) |"' \
      "$out/$kind.lake/releases/r-$kind/proposal/metrics.json"
  done
done
echo "cold-start: done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
