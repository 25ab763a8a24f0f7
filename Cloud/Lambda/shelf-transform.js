// Firehose transformation for the shelf stream, one function per delivery stream (env OUTPUT):
// - "readings": a shelf.telemetry.v1 batch, or a v2 batch expanded to the same readings
//   (docs/data-contract-v2.md), in; one JSON line per reading out (Parquet rows);
// (shelf-activity.js does events, alerts and forecasts with the same skeleton.)
// Records of other schemas are dropped (the other delivery streams take them). Store and thing come from
// the MQTT topic (added by the IoT rule), which the device policy pins to the certificate; a message whose
// own fields disagree is kept as a processing failure (Firehose writes it to errors/), never mixed in.
'use strict';
const ID = /^[a-zA-Z0-9:_-]+$/;
const OUTPUT = process.env.OUTPUT || 'readings';
const SCHEMAS = { readings: ['shelf.telemetry.v1', 'shelf.telemetry.v2'] };
if (!SCHEMAS[OUTPUT]) throw new Error(`OUTPUT must be readings, not ${OUTPUT}`);
// Lambda's synchronous response limit is 6 MB (6,291,456 bytes). A v2 record can expand ~20x into rows
// and base64 adds a third: past this budget the remaining records of the invocation are returned as
// processing failures (kept whole under errors/, alarmed, replayable) instead of failing the whole batch.
const BUDGET = Number(process.env.RESPONSE_BUDGET_BYTES || 5800000);
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
  // Issue 14: indices of readings taken while the device's clock was behind its time floor.
  const untrusted = new Set(Array.isArray(doc.untrusted) ? doc.untrusted : []);
  return seqs.map((seq, i) => {
    ts += doc.dt[i];
    const [slot, sku] = doc.keys[doc.key[i]] ?? [];
    const status = STATUS[doc.status[i]];
    if (slot === undefined || status === undefined) throw new Error(`reading ${i}: bad key or status`);
    return { seq, ts: new Date(ts).toISOString(), slot, sku, grams: doc.grams[i], count: doc.count[i], status, reason: doc.reason?.[i], timeUntrusted: untrusted.has(i) };
  });
};
exports.readings = (doc, received) => {
  const { store, thing } = identity(doc);
  const readings = doc.schema === 'shelf.telemetry.v2' ? exports.expand(doc) : doc.readings;
  if (!Array.isArray(readings) || readings.length === 0) throw new Error('no readings');
  return readings.map((r, i) => ({
    schema: doc.schema, thing, store, sent: doc.sent, received,
    // The batch's per-slot eviction counts ride on its first row only, so SUM over rows counts each once.
    dropped: i === 0 && doc.dropped ? doc.dropped : null,
    seq: r.seq, ts: r.ts, slot: r.slot, sku: r.sku,
    grams: r.grams ?? null, count: r.count ?? null, status: r.status, reason: r.reason ?? null,
    timeUntrusted: r.timeUntrusted === true,
  }));
};
const failed = (rec, error) => {
  console.log(JSON.stringify({ recordId: rec.recordId, error }));
  return { recordId: rec.recordId, result: 'ProcessingFailed', data: rec.data };
};
exports.handler = async (event) => {
  let used = 64;
  return {
    records: event.records.map((rec) => {
      used += rec.data.length + 120;
      let doc;
      try {
        doc = JSON.parse(Buffer.from(rec.data, 'base64').toString('utf8'));
      } catch {
        return failed(rec, 'not json');
      }
      if (doc === null || typeof doc !== 'object' || !SCHEMAS[OUTPUT].includes(doc.schema)) {
        return { recordId: rec.recordId, result: 'Dropped', data: rec.data };
      }
      let out;
      try {
        const received = Math.trunc(rec.approximateArrivalTimestamp);
        const rows = exports[OUTPUT](doc, received);
        out = { dt: day(received), data: Buffer.from(rows.map((r) => JSON.stringify(r) + '\n').join('')).toString('base64') };
      } catch (e) {
        return failed(rec, e.message);
      }
      // The failure path returns the record as it came (already counted); a success adds its rows.
      if (used + out.data.length - rec.data.length > BUDGET) return failed(rec, 'response budget exceeded: replay from errors/');
      used += out.data.length - rec.data.length;
      return { recordId: rec.recordId, result: 'Ok', data: out.data, metadata: { partitionKeys: { dt: out.dt } } };
    }),
  };
};
