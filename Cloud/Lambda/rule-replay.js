// Replays what the IoT rules could not put on the Kinesis stream, and what Firehose could not process.
// - SQS event (the rules' error action queue): each body is an IoT error action message
//   ({ruleName, topic, base64OriginalPayload, failures}, IoT developer guide "Error action message format").
//   The payload is as the device published it, so the rule's topic_store/topic_thing are added again from
//   the topic, and the partition key is the thing, as the rules do. A message that cannot be replayed is
//   reported as a batch item failure: SQS retries it and finally moves it to the dead-letter queue (alarmed).
// - {"replay": "s3://bucket/errors/…/"} (run by hand, README "Replay"): every Firehose error record under
//   the prefix ({rawData: base64 of the stream record}) goes back on the stream.
'use strict';
const { KinesisClient, PutRecordsCommand } = require('@aws-sdk/client-kinesis');
const { S3Client, ListObjectsV2Command, GetObjectCommand } = require('@aws-sdk/client-s3');
const STREAM = process.env.STREAM_NAME;
const kinesis = new KinesisClient({});
const s3 = new S3Client({});
const KINDS = ['telemetry', 'events', 'alerts', 'forecast'];
exports.fromErrorAction = (message) => {
  const levels = String(message?.topic ?? '').split('/');
  if (levels.length !== 5 || levels[0] !== 'dt' || levels[1] !== 'shelf' || !KINDS.includes(levels[4])) {
    throw new Error(`not a shelf stream topic: ${message?.topic}`);
  }
  const doc = JSON.parse(Buffer.from(message.base64OriginalPayload, 'base64').toString('utf8'));
  if (doc === null || typeof doc !== 'object') throw new Error('payload is not a JSON object');
  doc.topic_store = levels[2];
  doc.topic_thing = levels[3];
  return { PartitionKey: levels[3], Data: Buffer.from(JSON.stringify(doc)) };
};
exports.fromFirehoseError = (line) => {
  const data = Buffer.from(JSON.parse(line).rawData, 'base64');
  const doc = JSON.parse(data.toString('utf8'));
  const thing = doc.topic_thing ?? doc.thing;
  if (typeof thing !== 'string' || thing === '') throw new Error('record has no thing');
  return { PartitionKey: thing, Data: data };
};
// PutRecords takes at most 500 records; returns the indexes that failed.
const put = async (records) => {
  const failed = [];
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: STREAM, Records: chunk }));
    (out.Records ?? []).forEach((r, k) => { if (r.ErrorCode) failed.push(i + k); });
  }
  return failed;
};
const replayPrefix = async (url) => {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new Error('replay must be s3://bucket/prefix/');
  let token;
  let replayed = 0;
  const failed = [];
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: m[1], Prefix: m[2], ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: m[1], Key: o.Key }))).Body.transformToString();
      const records = [];
      for (const line of body.split('\n').filter((l) => l.trim() !== '')) {
        try { records.push(exports.fromFirehoseError(line)); } catch (e) { failed.push({ key: o.Key, error: e.message }); }
      }
      const bad = await put(records);
      bad.forEach(() => failed.push({ key: o.Key, error: 'PutRecords failed' }));
      replayed += records.length - bad.length;
    }
    token = page.NextContinuationToken;
  } while (token);
  return { replayed, failed };
};
exports.handler = async (event) => {
  if (typeof event?.replay === 'string') return replayPrefix(event.replay);
  const failures = [];
  const entries = [];
  for (const r of event.Records ?? []) {
    try {
      entries.push({ id: r.messageId, record: exports.fromErrorAction(JSON.parse(r.body)) });
    } catch (e) {
      console.log(JSON.stringify({ messageId: r.messageId, error: e.message }));
      failures.push(r.messageId);
    }
  }
  if (entries.length > 0) {
    const bad = await put(entries.map((e) => e.record));
    bad.forEach((i) => failures.push(entries[i].id));
  }
  return { batchItemFailures: failures.map((id) => ({ itemIdentifier: id })) };
};
