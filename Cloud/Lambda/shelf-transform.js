// Firehose transformation for the shelf stream, one function per delivery stream (env OUTPUT):
// - "readings": a shelf.telemetry.v1 batch, or a v2 batch expanded to the same readings
//   (docs/data-contract-v2.md), in; one JSON line per reading out (Parquet rows);
// - "activity": a shelf.event.v1 or shelf.alert.v1 message in, one JSON line out.
// Records of other schemas are dropped (the other delivery stream takes them). Store and thing come from
// the MQTT topic (added by the IoT rule), which the device policy pins to the certificate; a message whose
// own fields disagree is kept as a processing failure (Firehose writes it to errors/), never mixed in.
'use strict';
const ID = /^[a-zA-Z0-9:_-]+$/;
const OUTPUT = process.env.OUTPUT || 'readings';
const SCHEMAS = { readings: ['shelf.telemetry.v1', 'shelf.telemetry.v2'], activity: ['shelf.event.v1', 'shelf.alert.v1'] };
if (!SCHEMAS[OUTPUT]) throw new Error(`OUTPUT must be readings or activity, not ${OUTPUT}`);
// Raw partitions are by arrival day (UTC): immutable once the day is over, whatever the data's age.
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const identity = (doc) => {
  const store = doc.topic_store ?? doc.store;
  const thing = doc.topic_thing ?? doc.thing;
  if (doc.store !== store || doc.thing !== thing) throw new Error('topic and payload disagree');
  if (!ID.test(store) || !ID.test(thing)) throw new Error('bad store or thing id');
  return { store, thing };
};
const STATUS = { o: 'ok', l: 'low', e: 'empty', f: 'fault' };
// v2 → v1 readings: seq runs, ts = t0 + running sum of dt, slot/sku via keys; every column one value per reading.
exports.expand = (doc) => {
  const seqs = [];
  for (const [first, length] of doc.seq) for (let k = 0; k < length; k++) seqs.push(first + k);
  const n = seqs.length;
  for (const c of ['key', 'dt', 'grams', 'count', 'status']) {
    if (doc[c]?.length !== n) throw new Error(`${c}: expected ${n} values`);
  }
  let ts = Date.parse(doc.t0);
  if (Number.isNaN(ts)) throw new Error('bad t0');
  return seqs.map((seq, i) => {
    ts += doc.dt[i];
    const [slot, sku] = doc.keys[doc.key[i]] ?? [];
    const status = STATUS[doc.status[i]];
    if (slot === undefined || status === undefined) throw new Error(`reading ${i}: bad key or status`);
    return { seq, ts: new Date(ts).toISOString(), slot, sku, grams: doc.grams[i], count: doc.count[i], status, reason: doc.reason?.[i] };
  });
};
exports.flatten = (doc, receivedMs) => {
  const { store, thing } = identity(doc);
  const readings = doc.schema === 'shelf.telemetry.v2' ? exports.expand(doc) : doc.readings;
  if (!Array.isArray(readings) || readings.length === 0) throw new Error('no readings');
  const received = Math.trunc(receivedMs);
  const lines = readings.map((r, i) => JSON.stringify({
    schema: doc.schema, thing, sent: doc.sent, received,
    // The batch's per-slot eviction counts ride on its first row only, so SUM over rows counts each once.
    dropped: i === 0 && doc.dropped ? doc.dropped : null,
    seq: r.seq, ts: r.ts, slot: r.slot, sku: r.sku,
    grams: r.grams ?? null, count: r.count ?? null, status: r.status, reason: r.reason ?? null,
  }) + '\n');
  return { store, dt: day(received), data: lines.join('') };
};
exports.activity = (doc, receivedMs) => {
  const { store, thing } = identity(doc);
  const received = Math.trunc(receivedMs);
  const row = {
    schema: doc.schema, thing, ts: doc.ts, slot: doc.slot, sku: doc.sku, type: doc.type,
    delta: doc.delta ?? null, count: doc.count ?? null, reason: doc.reason ?? null, received,
  };
  return { store, dt: day(received), data: JSON.stringify(row) + '\n' };
};
exports.handler = async (event) => ({
  records: event.records.map((rec) => {
    let doc;
    try {
      doc = JSON.parse(Buffer.from(rec.data, 'base64').toString('utf8'));
    } catch {
      return { recordId: rec.recordId, result: 'ProcessingFailed', data: rec.data };
    }
    if (doc === null || typeof doc !== 'object' || !SCHEMAS[OUTPUT].includes(doc.schema)) {
      return { recordId: rec.recordId, result: 'Dropped', data: rec.data };
    }
    try {
      const out = exports[OUTPUT === 'activity' ? 'activity' : 'flatten'](doc, rec.approximateArrivalTimestamp);
      return {
        recordId: rec.recordId, result: 'Ok', data: Buffer.from(out.data).toString('base64'),
        metadata: { partitionKeys: { store: out.store, dt: out.dt } },
      };
    } catch (e) {
      console.log(JSON.stringify({ recordId: rec.recordId, error: e.message }));
      return { recordId: rec.recordId, result: 'ProcessingFailed', data: rec.data };
    }
  }),
});
