// Firehose transformation: one shelf.telemetry.v1 batch in, one JSON line per reading out (Parquet rows).
// Store and thing come from the MQTT topic (added by the IoT rule), which the device policy pins to the
// certificate; a batch whose own fields disagree is kept as a processing failure, never mixed into a store.
// Other schemas (events, alerts) are dropped here: they stay on the stream and in SNS.
'use strict';
const ID = /^[a-zA-Z0-9:_-]+$/;
exports.flatten = (doc, receivedMs) => {
  const store = doc.topic_store ?? doc.store;
  const thing = doc.topic_thing ?? doc.thing;
  if (doc.store !== store || doc.thing !== thing) throw new Error('topic and payload disagree');
  if (!ID.test(store) || !ID.test(thing)) throw new Error('bad store or thing id');
  if (!Array.isArray(doc.readings) || doc.readings.length === 0) throw new Error('no readings');
  const received = Math.trunc(receivedMs);
  const lines = doc.readings.map((r, i) => JSON.stringify({
    schema: doc.schema, thing, sent: doc.sent, received,
    // The batch's per-slot eviction counts ride on its first row only, so SUM over rows counts each once.
    dropped: i === 0 && doc.dropped ? doc.dropped : null,
    seq: r.seq, ts: r.ts, slot: r.slot, sku: r.sku,
    grams: r.grams ?? null, count: r.count ?? null, status: r.status, reason: r.reason ?? null,
  }) + '\n');
  // Raw partitions are by arrival day (UTC): immutable once the day is over, whatever the readings' age.
  return { store, dt: new Date(received).toISOString().slice(0, 10), data: lines.join('') };
};
exports.handler = async (event) => ({
  records: event.records.map((rec) => {
    let doc;
    try {
      doc = JSON.parse(Buffer.from(rec.data, 'base64').toString('utf8'));
    } catch {
      return { recordId: rec.recordId, result: 'ProcessingFailed', data: rec.data };
    }
    if (doc === null || typeof doc !== 'object' || doc.schema !== 'shelf.telemetry.v1') {
      return { recordId: rec.recordId, result: 'Dropped', data: rec.data };
    }
    try {
      const out = exports.flatten(doc, rec.approximateArrivalTimestamp);
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
