'use strict';
// The start of a profile release's canary in AWS (docs/models.md "In AWS", issue 24), run by an EventBridge rule when
// releases/<id>/approval.json is written (S3 Object Created). It checks the approval and the proposal (release.json,
// profiles.jsonl, metrics.json), builds one shelf.profile.release.v1 artifact per store as the by-hand script does,
// signs it with the model key (KMS ECDSA_SHA_256 over its SHA-256: the DER signature the agent verifies), writes
// profiles/<id>/<store>.json and .sig, picks the canary stores, creates their profiles-update jobs from the template
// (the document and job id of release-watch's ship), writes releases/<id>/rollout.json (state canary) last and puts
// "Profile release canary started" on the bus. S3 and EventBridge deliver at least once: a release whose rollout.json
// exists is left alone, job ids are fixed per release and store, and rollout.json is written only if absent.
// One canary at a time: while another release's rollout.json says "canary" it writes nothing and puts "Profile release
// canary queued"; release-watch, once it decides that release, invokes this function with the oldest waiting approval's
// event (the same shape), so one code path starts every canary and `previous` is the release then in service.
const crypto = require('crypto');
const { S3Client, ListObjectsV2Command, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');
const { KMSClient, SignCommand } = require('@aws-sdk/client-kms');
const { IoTClient, ListThingsCommand, CreateJobCommand } = require('@aws-sdk/client-iot');
const { EventBridgeClient, PutEventsCommand } = require('@aws-sdk/client-eventbridge');
const s3 = new S3Client({}), kms = new KMSClient({}), iot = new IoTClient({}), bus = new EventBridgeClient({});
const E = process.env;
const APPROVAL = /^releases\/(r-[a-z0-9-]{1,60})\/approval\.json$/;
const ID = /^r-[a-z0-9-]{1,60}$/;
// A store id goes into S3 keys and job ids ([a-zA-Z0-9_-]).
const STORE = /^[A-Za-z0-9_-]{1,64}$/;

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
const parse = (t) => {
  try {
    return t === null ? null : JSON.parse(t);
  } catch {
    return null;
  }
};
const sha256 = (b) => crypto.createHash('sha256').update(b).digest();
const notice = (DetailType, detail) =>
  bus.send(new PutEventsCommand({ Entries: [{ Source: E.SOURCE, DetailType, Detail: JSON.stringify(detail) }] }));

// The approval's time: its `at` (local-lake approve writes it), else when S3 stored it. The queue's order.
const time = (x) => (x ? new Date(x).getTime() : NaN);
const approvedAt = (approval, modified) => time(approval && approval.at) || time(modified) || 0;
const inLine = (a, b) => a.at - b.at || (a.release < b.release ? -1 : a.release > b.release ? 1 : 0);
// What S3 sends EventBridge for an approval.json (the fields this function reads), so a queued release starts as any does.
const approvalEvent = (release, time) => ({ version: '0', source: E.SOURCE, 'detail-type': 'Object Created', time,
  detail: { bucket: { name: E.BUCKET }, object: { key: 'releases/' + release + '/approval.json' } } });

async function refuseAndHandOn(release, reason, at, event) {
  console.log(JSON.stringify({ release, refused: reason }));
  await notice('Profile release canary refused', { release, reason });
  // A refused approval still looks waiting (approval.json, no rollout.json), and the watch starts the oldest waiting one:
  // when nothing is on its canary, hand on to the next approval in line after this one, or the queue stalls behind it.
  // Strictly after it in (time, id) order, so the hand-on ends.
  const { onCanary, waiting } = await scan(release, true);
  const next = onCanary ? null : waiting.filter((w) => inLine(w, { release, at }) > 0).sort(inLine)[0];
  if (!next) return { release, refused: reason };
  console.log(JSON.stringify({ release, next: next.release }));
  return { release, refused: reason, next: await exports.handler(approvalEvent(next.release, event.time)) };
}

// One artifact per store, stores in code-point order, profiles as the proposal lists them (jq's group_by in the script).
function artifacts(release, jsonl) {
  const byStore = new Map();
  for (const line of jsonl.split('\n')) {
    if (!line.trim()) continue;
    const profile = JSON.parse(line);
    if (typeof profile.store !== 'string' || !STORE.test(profile.store)) throw new Error('a profile without a valid store: ' + line.slice(0, 80));
    if (!byStore.has(profile.store)) byStore.set(profile.store, []);
    byStore.get(profile.store).push(profile);
  }
  return [...byStore.keys()].sort().map((store) => ({ store,
    bytes: Buffer.from(JSON.stringify({ schema: 'shelf.profile.release.v1', release, store, profiles: byStore.get(store) }), 'utf8') }));
}

// Stores ordered by SHA-256 of "<release>/<store>" (local-lake's Canary): the first ceil(n x share), at least one, and
// from two stores on at least one left for the rest. A re-run picks the same; the next release picks others.
function choose(release, stores, share) {
  const order = stores.map((s) => [sha256(release + '/' + s).toString('hex'), s]).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((x) => x[1]);
  const take = Math.min(Math.max(Math.ceil(order.length * share), 1), Math.max(1, order.length - 1));
  const canary = new Set(order.slice(0, take));
  return [stores.filter((s) => canary.has(s)), stores.filter((s) => !canary.has(s))];
}

// The other releases: the one on its canary (if any), the release in service (the newest promoted, by its decision,
// else its start) and, when asked, the approved ones waiting (approval.json, no rollout.json) with their approval's time.
async function scan(release, withWaiting) {
  let best = null, onCanary = null, ContinuationToken;
  const waiting = [];
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: E.BUCKET, Prefix: 'releases/', Delimiter: '/', ContinuationToken }));
    for (const { Prefix } of page.CommonPrefixes || []) {
      const id = Prefix.slice('releases/'.length, -1);
      if (id === release) continue;
      const raw = await text(Prefix + 'rollout.json');
      if (raw === null) {
        const approval = withWaiting && ID.test(id) ? await object(Prefix + 'approval.json') : null;
        if (approval) waiting.push({ release: id, at: approvedAt(parse(approval.body), approval.modified) });
        continue;
      }
      const r = parse(raw);
      if (!r || !ID.test(r.release)) continue;
      if (r.state === 'canary') onCanary = onCanary || r.release;
      if (r.state !== 'promoted') continue;
      const at = new Date(r.decided || r.started).getTime() || 0;
      if (!best || at > best.at) best = { release: r.release, at };
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return { previous: best && best.release, onCanary, waiting };
}

async function ship(release, store, key, bytes, signature) {
  const targets = [];
  let nextToken;
  do {
    const found = await iot.send(new ListThingsCommand({ attributeName: E.STORE_ATTRIBUTE, attributeValue: store, maxResults: 100, nextToken }));
    targets.push(...(found.things || []).map((t) => t.thingArn));
    nextToken = found.nextToken;
  } while (nextToken);
  if (!targets.length) return null;
  const document = JSON.stringify({ operation: 'profiles-update', release,
    url: '${aws:iot:s3-presigned-url:https://' + E.BUCKET + '.s3.amazonaws.com/' + key + '}',
    size: bytes.length, sha256: sha256(bytes).toString('hex'), signature });
  const jobId = ('profiles-' + release + '-' + store).slice(0, 54) + '-canary';
  try {
    await iot.send(new CreateJobCommand({ jobId, targets, jobTemplateArn: E.TEMPLATE_ARN, document }));
  } catch (e) {
    if (e.name !== 'ResourceAlreadyExistsException') throw e;
  }
  return jobId;
}

exports.handler = async (event) => {
  const objectKey = (event && event.detail && event.detail.object && event.detail.object.key) || '';
  const match = APPROVAL.exec(objectKey);
  if (!match) {
    console.log(JSON.stringify({ ignored: objectKey }));
    return { ignored: objectKey };
  }
  const release = match[1], folder = 'releases/' + release + '/';
  if ((await text(folder + 'rollout.json')) !== null) {
    console.log(JSON.stringify({ release, skipped: 'rollout.json exists: the canary was started before' }));
    return { release, skipped: true };
  }
  const approvalObject = await object(folder + 'approval.json');
  const approval = approvalObject && parse(approvalObject.body);
  const at = approvedAt(approval, approvalObject && approvalObject.modified);
  const refuse = (reason) => refuseAndHandOn(release, reason, at, event);
  if (!approval || approval.release !== release) return refuse('approval.json does not name release ' + release);
  // The local approve's rule (docs/models.md step 3): a worse verdict ships only with the approver's written reason.
  if (/^worse/.test(approval.verdict || '') && !approval.overrideReason) {
    return refuse('approval.json records a worse verdict and no overrideReason');
  }
  const metrics = parse(await text(folder + 'proposal/metrics.json'));
  if (!metrics) return refuse('no evaluation: ' + folder + 'proposal/metrics.json is missing or not JSON');
  if (metrics.release !== release) return refuse('proposal/metrics.json evaluates ' + metrics.release + ', not ' + release);
  const record = parse(await text(folder + 'proposal/release.json'));
  if (!record || record.id !== release) return refuse('proposal/release.json is missing or names another release');
  const jsonl = await text(folder + 'proposal/profiles.jsonl');
  if (jsonl === null) return refuse('proposal/profiles.jsonl is missing');
  if (record.profilesSha256 && sha256(Buffer.from(jsonl, 'utf8')).toString('hex') !== record.profilesSha256) {
    return refuse('proposal/profiles.jsonl does not match profilesSha256 of release.json: changed after it was proposed');
  }
  let files;
  try {
    files = artifacts(release, jsonl);
  } catch (e) {
    return refuse('proposal/profiles.jsonl: ' + e.message);
  }
  if (!files.length) return refuse('proposal/profiles.jsonl has no profile');

  const share = +E.CANARY_SHARE;
  if (!(share > 0 && share < 1)) throw new Error('CANARY_SHARE must be above 0 and below 1, got ' + E.CANARY_SHARE);
  const { previous: before, onCanary } = await scan(release, false);
  if (onCanary) {
    const reason = onCanary + ' is on its canary (one canary at a time): the release watch starts ' + release + ' once it decides ' + onCanary;
    console.log(JSON.stringify({ release, queued: reason, onCanary }));
    await notice('Profile release canary queued', { release, onCanary, reason });
    return { release, queued: onCanary };
  }
  const [canary, rest] = choose(release, files.map((f) => f.store), share);
  const jobs = [];
  for (const { store, bytes } of files) {
    const key = 'profiles/' + release + '/' + store + '.json';
    const signed = await kms.send(new SignCommand({ KeyId: E.KEY_ID, Message: sha256(bytes), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    const signature = Buffer.from(signed.Signature).toString('base64');
    await s3.send(new PutObjectCommand({ Bucket: E.BUCKET, Key: key, Body: bytes, ContentType: 'application/json' }));
    await s3.send(new PutObjectCommand({ Bucket: E.BUCKET, Key: key + '.sig', Body: signature, ContentType: 'text/plain' }));
    if (canary.includes(store)) {
      const jobId = await ship(release, store, key, bytes, signature);
      if (jobId) jobs.push(jobId);
    }
  }
  const rollout = { release, previous: before, state: 'canary', canary, rest, started: new Date(event.time || Date.now()).toISOString(), jobs };
  try {
    await s3.send(new PutObjectCommand({ Bucket: E.BUCKET, Key: folder + 'rollout.json', Body: JSON.stringify(rollout, null, 2), IfNoneMatch: '*' }));
  } catch (e) {
    if (e.name !== 'PreconditionFailed') throw e;
    console.log(JSON.stringify({ release, skipped: 'rollout.json written meanwhile by another delivery' }));
    return { release, skipped: true };
  }
  await notice('Profile release canary started', { release, previous: before, canary, rest, jobs });
  console.log(JSON.stringify({ release, state: 'canary', previous: before, canary: canary.length, rest: rest.length, jobs: jobs.length }));
  return { release, state: 'canary', canary, rest, jobs };
};
