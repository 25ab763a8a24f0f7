// Firehose transformation for the shelf stream's activity, one function per delivery stream (env OUTPUT):
// (shelf-transform.js does telemetry readings with the same skeleton.)
// - "activity": a shelf.event.v1 or shelf.alert.v1 message in, one JSON line out;
// - "forecasts": a shelf.forecast.v1 message in (CONTRACT-13), one JSON line per slot out.
// Records of other schemas are dropped (the other delivery streams take them). Store and thing come from
// the MQTT topic (added by the IoT rule), which the device policy pins to the certificate; a message whose
// own fields disagree is kept as a processing failure (Firehose writes it to errors/), never mixed in.
'use strict';
const ID = /^[a-zA-Z0-9:_-]+$/;
const OUTPUT = process.env.OUTPUT || 'activity';
const SCHEMAS = {
  activity: ['shelf.event.v1', 'shelf.alert.v1'],
  forecasts: ['shelf.forecast.v1'],
};
if (!SCHEMAS[OUTPUT]) throw new Error(`OUTPUT must be activity or forecasts, not ${OUTPUT}`);
// Lambda's synchronous response limit is 6 MB (6,291,456 bytes). Rows are larger than the messages and
// base64 adds a third: past this budget the remaining records of the invocation are returned as
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
exports.activity = (doc, received) => {
  const { store, thing } = identity(doc);
  return [{
    schema: doc.schema, thing, store, ts: doc.ts, slot: doc.slot, sku: doc.sku, type: doc.type,
    delta: doc.delta ?? null, count: doc.count ?? null, reason: doc.reason ?? null,
    expectedEmpty: doc.expectedEmpty ?? null, probability: doc.probability ?? null,
    ratePerHour: doc.ratePerHour ?? null, horizonMinutes: doc.horizonMinutes ?? null, received,
  }];
};
exports.forecasts = (doc, received) => {
  const { store, thing } = identity(doc);
  if (!Array.isArray(doc.slots) || doc.slots.length === 0) throw new Error('no slots');
  return doc.slots.map((s) => {
    if (typeof s?.slot !== 'string') throw new Error('slot without id');
    return {
      schema: doc.schema, thing, store, ts: doc.ts, horizonMinutes: doc.horizonMinutes ?? null,
      slot: s.slot, sku: s.sku ?? null, count: s.count ?? null, ratePerHour: s.ratePerHour ?? null,
      expectedEmpty: s.expectedEmpty ?? null, probEmpty: s.probEmpty ?? null, profile: s.profile ?? null, received,
      nextRefill: s.nextRefill ?? null,
    };
  });
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
