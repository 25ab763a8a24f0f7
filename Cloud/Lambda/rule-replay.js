// Replays what the IoT rules could not deliver to the lake, and what Firehose could not process. Each message
// goes back where its rule sends it: telemetry to the Kinesis stream (partition key = thing), events and alerts
// to the events Firehose, forecasts to the forecasts Firehose (their rules write there directly).
// - SQS event (the rules' error action queue): each body is an IoT error action message
//   ({ruleName, topic, base64OriginalPayload, failures}, IoT developer guide "Error action message format").
//   The payload is as the device published it, so the rule's topic_store/topic_thing are added again from
//   the topic (a Basic Ingest topic, $aws/rules/{rule}/dt/shelf/…, read after its prefix as the rule reads it). A message that cannot be replayed is reported as a batch item failure: SQS retries it and
//   finally moves it to the dead-letter queue (alarmed).
// - {"replay": "s3://bucket/errors/…/"} (run by hand, README "Replay"): every Firehose error record under
//   the prefix ({rawData: base64 of the record as the rule wrote it}) goes back, routed by its schema. Only
//   messages as a rule wrote them (with topic_thing) go back: format-conversion-failed records hold rows the
//   transformation already made, which it would refuse again, landing under errors/ again — a replay loop.
'use strict';
const { KinesisClient, PutRecordsCommand } = require('@aws-sdk/client-kinesis');
const { FirehoseClient, PutRecordBatchCommand } = require('@aws-sdk/client-firehose');
const { S3Client, ListObjectsV2Command, GetObjectCommand } = require('@aws-sdk/client-s3');
const env = process.env;
const kinesis = new KinesisClient({});
const firehose = new FirehoseClient({});
const s3 = new S3Client({});
// Topic kinds (…/events) and schema words (shelf.event.v1) to where their rule sends them (the variable naming it).
const E = 'EVENTS_DELIVERY';
const TO = { telemetry: 'STREAM_NAME', events: E, event: E, alerts: E, alert: E, forecast: 'FORECASTS_DELIVERY' };
exports.fromErrorAction = (message) => {
  const levels = String(message?.topic ?? '').replace(/^\$aws\/rules\/\w+\//, '').split('/');
  const target = TO[levels[4]];
  if (levels.length !== 5 || `${levels[0]}/${levels[1]}` !== 'dt/shelf' || !target) {
    throw new Error(`not a shelf lake topic: ${message?.topic}`);
  }
  const doc = JSON.parse(Buffer.from(message.base64OriginalPayload, 'base64').toString());
  if (!doc || typeof doc !== 'object') throw new Error('not an object');
  doc.topic_store = levels[2];
  doc.topic_thing = levels[3];
  return { target, record: { PartitionKey: levels[3], Data: Buffer.from(JSON.stringify(doc)) } };
};
exports.fromFirehoseError = (line) => {
  const data = Buffer.from(JSON.parse(line).rawData, 'base64');
  const doc = JSON.parse(data.toString());
  const thing = doc.topic_thing;
  if (!thing || typeof thing !== 'string') throw new Error('not a rule message (no topic_thing)');
  const target = TO[/^shelf\.(\w+)\.v\d$/.exec(doc.schema)?.[1]];
  if (!target) throw new Error(`unknown schema ${doc.schema}`);
  return { target, record: { PartitionKey: thing, Data: data } };
};
const send = async (to, c) => (to === 'STREAM_NAME'
  ? (await kinesis.send(new PutRecordsCommand({ StreamName: env[to], Records: c.map((i) => i.record) }))).Records
  : (await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: env[to], Records: c.map((i) => ({ Data: i.record.Data })) }))).RequestResponses) ?? [];
// Puts items ({target, record, …}) where they belong, in calls of ≤ 500 records and ≤ 4 MB (both APIs' limits);
// returns the items that failed.
const put = async (items) => {
  const failed = [];
  for (const to of new Set(items.map((i) => i.target))) {
    const all = items.filter((i) => i.target === to);
    for (let i = 0, n, b; i < all.length; i += n) {
      for (n = 0, b = 0; i + n < all.length && n < 500 && (n === 0 || b + all[i + n].record.Data.length <= 4e6); n++) b += all[i + n].record.Data.length;
      const c = all.slice(i, i + n);
      (await send(to, c)).forEach((r, k) => { if (r.ErrorCode) failed.push(c[k]); });
    }
  }
  return failed;
};
const replayPrefix = async (url) => {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new Error('replay must be s3://bucket/prefix/');
  let token, replayed = 0;
  const failed = [];
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: m[1], Prefix: m[2], ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: m[1], Key: o.Key }))).Body.transformToString();
      const items = [];
      for (const line of body.split('\n').filter((l) => l.trim())) {
        try { items.push(exports.fromFirehoseError(line)); } catch (e) { failed.push({ key: o.Key, error: e.message }); }
      }
      const bad = await put(items);
      bad.forEach((b) => failed.push({ key: o.Key, error: `put to ${env[b.target]} failed` }));
      replayed += items.length - bad.length;
    }
    token = page.NextContinuationToken;
  } while (token);
  return { replayed, failed };
};
exports.handler = async (event) => {
  if (typeof event?.replay === 'string') return replayPrefix(event.replay);
  const failures = [], entries = [];
  for (const r of event.Records ?? []) {
    try {
      entries.push({ id: r.messageId, ...exports.fromErrorAction(JSON.parse(r.body)) });
    } catch (e) {
      console.log(JSON.stringify({ messageId: r.messageId, error: e.message }));
      failures.push(r.messageId);
    }
  }
  (await put(entries)).forEach((e) => failures.push(e.id));
  return { batchItemFailures: failures.map((id) => ({ itemIdentifier: id })) };
};
