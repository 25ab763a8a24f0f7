'use strict';
// The watch of profile releases in AWS (docs/models.md, issue 24), run daily by EventBridge Scheduler. For each release
// whose releases/<id>/rollout.json says "canary": runs the release-health query (Athena, curated events and forecasts
// since the canary started), publishes per-release figures (caught / missed stock-outs, strict false alarms, slot-days)
// for the canary (its stores, on the new release) and the rest (their stores, on the previous release); after
// WATCH_DAYS it decides like the local watch (worse: recall@30 more than 5 points lower, or false alarms per slot-day
// above 1.25 x + 0.05), promotes (the rest's stores get the release's jobs) or rolls back (the canary's stores get the
// previous release's jobs), records the verdict in rollout.json and sends the notice (EventBridge -> SNS) saying why.
// One canary at a time: release-canary queues an approval that arrives while a release is on its canary; once this run
// has decided and no release is left on its canary, it starts the oldest waiting approval (approval.json, no
// rollout.json; by the approval's time) by invoking release-canary asynchronously with the event S3 would have sent.
const crypto = require('crypto');
const { S3Client, ListObjectsV2Command, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const { AthenaClient, StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } = require('@aws-sdk/client-athena');
const { CloudWatchClient, PutMetricDataCommand } = require('@aws-sdk/client-cloudwatch');
const { IoTClient, ListThingsCommand, CreateJobCommand } = require('@aws-sdk/client-iot');
const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const s3 = new S3Client({}), athena = new AthenaClient({}), cw = new CloudWatchClient({}), iot = new IoTClient({}), bus = new EventBridgeClient({});
const lambda = new LambdaClient({});
const E = process.env;
const ID = /^r-[a-z0-9-]{1,60}$/;

// The object's text and when it was written, or null when absent.
const object = async (Key) => {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: E.BUCKET, Key }));
    return { body: await got.Body.transformToString(), modified: got.LastModified };
  } catch (e) {
    if (e.name === 'NoSuchKey') return null;
    throw e;
  }
};
const text = async (Key) => {
  const got = await object(Key);
  return got && got.body;
};

// The queue's order as release-canary keeps it: the approval's `at`, else when S3 stored it; then the id.
function approvedAt({ body, modified }) {
  let at;
  try {
    at = JSON.parse(body).at;
  } catch {
    at = null;
  }
  const time = (x) => (x ? new Date(x).getTime() : NaN);
  return time(at) || time(modified) || 0;
}
const inLine = (a, b) => a.at - b.at || (a.release < b.release ? -1 : a.release > b.release ? 1 : 0);

// Asynchronously (the canary signs and creates jobs for minutes): the event S3 sends EventBridge for that approval.json.
async function startCanary(release, now) {
  const event = { version: '0', source: E.SOURCE, 'detail-type': 'Object Created', time: now.toISOString(),
    detail: { bucket: { name: E.BUCKET }, object: { key: 'releases/' + release + '/approval.json' } } };
  await lambda.send(new InvokeCommand({ FunctionName: E.CANARY_FUNCTION, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }));
  console.log(JSON.stringify({ release, started: 'queued approval handed to ' + E.CANARY_FUNCTION }));
}

async function query(from) {
  const start = await athena.send(new StartQueryExecutionCommand({
    QueryString: E.QUERY_SQL.split('{FROM}').join(from), WorkGroup: E.WORKGROUP, QueryExecutionContext: { Database: E.DATABASE } }));
  const id = start.QueryExecutionId;
  for (let i = 0; ; i++) {
    const state = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution.Status.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED' || i >= +E.POLL_LIMIT) throw new Error('release-health query ' + id + ': ' + state);
    await new Promise((r) => setTimeout(r, +E.POLL_MS));
  }
  const rows = [];
  let NextToken;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken }));
    rows.push(...page.ResultSet.Rows.map((r) => r.Data.map((d) => d.VarCharValue)));
    NextToken = page.NextToken;
  } while (NextToken);
  // store, profile, slot_days, stock_outs, caught, alerts, false_alarms (the first row is the header)
  return rows.slice(1);
}

const total = (rows, keep) => rows.filter(keep).reduce((f, r) => ({
  slotDays: f.slotDays + +r[2], stockOuts: f.stockOuts + +r[3], caught: f.caught + +r[4], falseAlarms: f.falseAlarms + +r[6] }),
{ slotDays: 0, stockOuts: 0, caught: 0, falseAlarms: 0 });
const recall = (f) => (f.stockOuts ? f.caught / f.stockOuts : 1);
const perDay = (f) => (f.slotDays ? f.falseAlarms / f.slotDays : 0);

function verdict(c, r) {
  const pct = (x) => Math.round(x * 100) + '%';
  const figures = 'recall@30 ' + pct(recall(c)) + ' vs ' + pct(recall(r)) + ' (' + c.stockOuts + ' vs ' + r.stockOuts + ' stock-outs), ' +
    'false alarms/slot-day ' + perDay(c).toFixed(2) + ' vs ' + perDay(r).toFixed(2) + ' (' + c.slotDays + ' vs ' + r.slotDays + ' slot-days)';
  if (c.stockOuts > 0 && recall(c) < recall(r) - 0.05) return [false, 'worse: recall@30 fell; ' + figures];
  if (perDay(c) > perDay(r) * 1.25 + 0.05) return [false, 'worse: more false alarms; ' + figures];
  return [true, 'not worse: ' + figures];
}

async function publish(release, group, f, Timestamp) {
  const Dimensions = [{ Name: 'Release', Value: release }, { Name: 'Group', Value: group }];
  const m = (MetricName, Value) => ({ MetricName, Value, Unit: 'Count', Timestamp, Dimensions });
  await cw.send(new PutMetricDataCommand({ Namespace: E.NAMESPACE, MetricData: [
    m('ReleaseStockOutsCaught', f.caught), m('ReleaseStockOutsMissed', f.stockOuts - f.caught),
    m('ReleaseFalseAlarms', f.falseAlarms), m('ReleaseSlotDays', f.slotDays)] }));
}

async function ship(release, stores, stamp) {
  const jobs = [];
  for (const store of stores) {
    const key = 'profiles/' + release + '/' + store + '.json';
    const body = await text(key), signature = await text(key + '.sig');
    if (body === null || signature === null) throw new Error('no signed artifact ' + key + ' (and ' + key + '.sig)');
    const found = await iot.send(new ListThingsCommand({ attributeName: E.STORE_ATTRIBUTE, attributeValue: store, maxResults: 100 }));
    const targets = (found.things || []).map((t) => t.thingArn);
    if (!targets.length) continue;
    const bytes = Buffer.from(body, 'utf8');
    const document = JSON.stringify({ operation: 'profiles-update', release,
      url: '${aws:iot:s3-presigned-url:https://' + E.BUCKET + '.s3.amazonaws.com/' + key + '}',
      size: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), signature: signature.trim() });
    const jobId = ('profiles-' + release + '-' + store).slice(0, 54) + '-' + stamp;
    await iot.send(new CreateJobCommand({ jobId, targets, jobTemplateArn: E.TEMPLATE_ARN, document }));
    jobs.push(jobId);
  }
  return jobs;
}

exports.handler = async (event) => {
  const now = new Date((event && event.time) || Date.now());
  const decided = [], waiting = [];
  let onCanary = false, ContinuationToken;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: E.BUCKET, Prefix: 'releases/', Delimiter: '/', ContinuationToken }));
    for (const { Prefix } of page.CommonPrefixes || []) {
      const raw = await text(Prefix + 'rollout.json');
      const id = Prefix.slice('releases/'.length, -1);
      if (raw === null) {
        const approval = ID.test(id) ? await object(Prefix + 'approval.json') : null;
        if (approval) waiting.push({ release: id, at: approvedAt(approval) });
        continue;
      }
      const r = raw && JSON.parse(raw);
      if (!r || r.state !== 'canary' || !ID.test(r.release) || (r.previous && !ID.test(r.previous))) continue;
      const started = new Date(r.started);
      const rows = await query(started.toISOString().slice(0, 10));
      const canary = total(rows, (x) => r.canary.includes(x[0]) && x[1] === 'cloud:' + r.release);
      const rest = total(rows, (x) => r.rest.includes(x[0]));
      await publish(r.release, 'canary', canary, now);
      await publish(r.previous || 'device', 'rest', rest, now);
      if (now - started < +E.WATCH_DAYS * 86400000) {
        // Still on its canary: the waiting approvals go on waiting.
        onCanary = true;
        continue;
      }
      const [promote, why] = verdict(canary, rest);
      const release = promote ? r.release : r.previous;
      const stamp = Math.floor(now / 1000).toString(36);
      const jobs = release ? await ship(release, promote ? r.rest : r.canary, stamp) : [];
      const reason = release ? why : why + '; no previous release to send: the canary stores keep ' + r.release + ' until one is sent by hand';
      const done = { ...r, state: promote ? 'promoted' : 'rolled-back', decided: now.toISOString(), reason, jobs };
      await s3.send(new PutObjectCommand({ Bucket: E.BUCKET, Key: Prefix + 'rollout.json', Body: JSON.stringify(done, null, 2) }));
      await bus.send(new PutEventsCommand({ Entries: [{ Source: E.SOURCE, DetailType: 'Profile release decided',
        Detail: JSON.stringify({ release: r.release, state: done.state, previous: r.previous || null, reason, jobs }) }] }));
      console.log(JSON.stringify({ release: r.release, state: done.state, reason, jobs: jobs.length }));
      decided.push({ release: r.release, state: done.state });
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  // Only when this run decided one: with nothing on its canary, a waiting approval is one release-canary refused (or
  // failed to start for good), and a daily start would send it, and its refusal notice, again every day.
  const next = decided.length && !onCanary ? waiting.sort(inLine)[0] : undefined;
  if (next) await startCanary(next.release, now);
  return { decided, started: next ? next.release : null };
};
