#!/usr/bin/env bash
# The evaluation of a proposed profile release in AWS (docs/models.md, step 2): the by-hand steps, run by the ECS Fargate
# task that the proposal's release.json starts (Cloud/Releases/ReleaseEvaluation.cs). One release per run:
#   1. release id from RELEASE_KEY (the S3 key of the event: releases/<id>/proposal/release.json) or RELEASE;
#      nothing to do when releases/<id>/proposal/metrics.json exists (a duplicate event, or evaluated by hand);
#   2. the proposal (release.json, profiles.jsonl: its SHA-256 must be release.json's profilesSha256) and the release in
#      service (the newest promoted rollout.json; none: the devices' own learning) into a local lake folder;
#   3. Athena UNLOAD of curated_readings from trainedFrom to trainedTo + 7 days into exports/evaluate/<id>/<run>/ (a fresh
#      prefix per run: UNLOAD refuses a prefix that holds data), polled at most POLL_LIMIT times;
#   4. the files copied in as the local lake's raw readings and renamed *.parquet (UNLOAD writes no extension);
#   5. local-lake evaluate --from-lake --against <in service|none>;
#   6. metrics.json uploaded with --if-none-match '*' (written once: a run that lost a race leaves the other's in place).
# Any failure: one line "evaluate-release: …" on stderr and a non-zero exit (the task stops; a rule notifies).
# Env: BUCKET (model artifacts), WORKGROUP, DATABASE, RELEASE_KEY or RELEASE; optional RUN (default: UTC time + pid),
#      POLL_LIMIT (default 360), POLL_SECONDS (default 5), WORK (default: a new temporary folder).
# Needs: aws (CLI v2: --if-none-match needs 2.18 or later), jq, GNU date, local-lake on PATH.
set -euo pipefail

fail() { echo "evaluate-release: $*" >&2; exit 1; }
say() { echo "evaluate-release: $*"; }

: "${BUCKET:?evaluate-release: BUCKET (the model-artifacts bucket) is not set}"
: "${WORKGROUP:?evaluate-release: WORKGROUP (the Athena workgroup) is not set}"
: "${DATABASE:?evaluate-release: DATABASE (the Glue database) is not set}"
POLL_LIMIT=${POLL_LIMIT:-360}
POLL_SECONDS=${POLL_SECONDS:-5}

# 1. Which release.
release=${RELEASE:-}
if [ -z "$release" ]; then
  key=${RELEASE_KEY:-}
  [[ "$key" =~ ^releases/(r-[a-z0-9-]{1,60})/proposal/release\.json$ ]] ||
    fail "RELEASE_KEY '$key' is not releases/<id>/proposal/release.json (and RELEASE is not set)"
  release=${BASH_REMATCH[1]}
fi
[[ "$release" =~ ^r-[a-z0-9-]{1,60}$ ]] || fail "'$release' is not a release id (r- then 1–60 of a-z, 0-9, -)"
proposal="releases/$release/proposal"

if head=$(aws s3api head-object --bucket "$BUCKET" --key "$proposal/metrics.json" --output json 2>&1); then
  say "$release is evaluated already (s3://$BUCKET/$proposal/metrics.json exists): nothing to do"
  exit 0
elif ! grep -q '(404)' <<<"$head"; then
  fail "cannot tell whether $release is evaluated: $(tr '\n' ' ' <<<"$head")"
fi

# 2. A local lake folder with the proposal and the release in service.
lake=${WORK:-$(mktemp -d)}/lake
mkdir -p "$lake/releases" "$lake/raw/readings"
aws s3 cp --recursive --only-show-errors "s3://$BUCKET/$proposal/" "$lake/$proposal/" ||
  fail "cannot copy s3://$BUCKET/$proposal/"
for file in release.json profiles.jsonl; do
  [ -f "$lake/$proposal/$file" ] || fail "s3://$BUCKET/$proposal/$file is missing (upload profiles.jsonl, then release.json)"
done
record="$lake/$proposal/release.json"
[ "$(jq -r .id "$record")" = "$release" ] || fail "release.json names $(jq -r .id "$record"), not $release"
want=$(jq -r .profilesSha256 "$record")
have=$(sha256sum "$lake/$proposal/profiles.jsonl" | cut -c1-64)
[ "$want" = "$have" ] || fail "profiles.jsonl's SHA-256 is $have, release.json says $want (uploaded out of order?)"
from=$(jq -r .trainedFrom "$record")
to=$(jq -r .trainedTo "$record")
[[ "$from" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ && "$to" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] ||
  fail "release.json's trainedFrom '$from' / trainedTo '$to' are not yyyy-MM-dd days"
end=$(date -u -d "$to + 7 days" +%F)

# The release in service: the newest promoted one (ids sort by creation, as the local lake's ReleaseStore.InService).
listing=$(aws s3api list-objects-v2 --bucket "$BUCKET" --prefix releases/ --output json) || fail "cannot list s3://$BUCKET/releases/"
against=none
for id in $(jq -r '.Contents // [] | .[].Key' <<<"$listing" | sed -nE 's#^releases/(r-[a-z0-9-]+)/rollout\.json$#\1#p' | LC_ALL=C sort -r); do
  [ "$id" = "$release" ] && continue
  state=$(aws s3 cp "s3://$BUCKET/releases/$id/rollout.json" - | jq -r .state) || fail "cannot read releases/$id/rollout.json"
  if [ "$state" = promoted ]; then
    against=$id
    break
  fi
done
if [ "$against" != none ]; then
  aws s3 cp --recursive --only-show-errors "s3://$BUCKET/releases/$against/proposal/" "$lake/releases/$against/proposal/" ||
    fail "cannot copy the release in service, s3://$BUCKET/releases/$against/proposal/"
fi
say "$release (trained $from – $to) on the week $to – $end, against ${against} (in service)"

# 3. The readings from the training window to the end of the held-out week, as Parquet partitioned by dt.
run=${RUN:-$(date -u +%Y%m%dT%H%M%SZ)-$$}
export_prefix="exports/evaluate/$release/$run/"
sql="UNLOAD (SELECT schema, thing, store, sent, received, dropped, seq, ts, slot, sku, grams, \"count\", status, reason,
                timeUntrusted, dt FROM curated_readings
         WHERE dt >= '$from' AND dt < '$end')
TO 's3://$BUCKET/$export_prefix' WITH (format = 'PARQUET', partitioned_by = ARRAY['dt'])"
started=$(aws athena start-query-execution --work-group "$WORKGROUP" --query-execution-context "Database=$DATABASE" \
  --query-string "$sql" --output json) || fail "Athena refused the UNLOAD into s3://$BUCKET/$export_prefix"
query=$(jq -r .QueryExecutionId <<<"$started")
state=QUEUED
for ((poll = 1; poll <= POLL_LIMIT; poll++)); do
  status=$(aws athena get-query-execution --query-execution-id "$query" --output json) || fail "cannot read Athena query $query"
  state=$(jq -r .QueryExecution.Status.State <<<"$status")
  case "$state" in
    SUCCEEDED) break ;;
    FAILED | CANCELLED) fail "Athena query $query $state: $(jq -r '.QueryExecution.Status.StateChangeReason // "no reason given"' <<<"$status")" ;;
  esac
  sleep "$POLL_SECONDS"
done
[ "$state" = SUCCEEDED ] || fail "Athena query $query still $state after $POLL_LIMIT polls $POLL_SECONDS s apart"

# 4. Into the local lake as its raw readings (nothing curated: --from-lake reads them raw).
aws s3 cp --recursive --only-show-errors "s3://$BUCKET/$export_prefix" "$lake/raw/readings/" ||
  fail "cannot copy s3://$BUCKET/$export_prefix"
find "$lake/raw/readings" -type f ! -name '*.parquet' -exec mv {} {}.parquet \;
files=$(find "$lake/raw/readings" -type f -name '*.parquet' | wc -l)
[ "$files" -gt 0 ] || fail "the UNLOAD wrote no readings with dt in [$from, $end): nothing to evaluate"
say "$files Parquet files of readings from s3://$BUCKET/$export_prefix"

# 5. Evaluate.
local-lake --lake "$lake" evaluate --release "$release" --from-lake --against "$against" ||
  fail "local-lake evaluate failed (exit $?)"

# 6. Store the metrics with the release, once.
if put=$(aws s3api put-object --bucket "$BUCKET" --key "$proposal/metrics.json" --body "$lake/$proposal/metrics.json" \
  --if-none-match '*' --output json 2>&1); then
  say "stored s3://$BUCKET/$proposal/metrics.json"
elif grep -q PreconditionFailed <<<"$put"; then
  say "s3://$BUCKET/$proposal/metrics.json was written meanwhile (another run): kept; this run's is not stored"
else
  fail "cannot store s3://$BUCKET/$proposal/metrics.json: $(tr '\n' ' ' <<<"$put")"
fi
