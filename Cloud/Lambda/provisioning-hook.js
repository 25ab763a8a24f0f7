// Fleet provisioning pre-provisioning hook (IoT developer guide "Pre-provisioning hooks"): AWS IoT calls it
// with {claimCertificateId, certificateId, templateArn, clientId, parameters} before RegisterThing and goes
// on only if it answers {allowProvisioning: true} within 5 seconds. Anyone holding the fleet's shared claim
// certificate can ask, so it refuses:
// - a ThingName or StoreId that is malformed, or a ThingName that starts with provision- (the claim's client
//   ids: the claim policy may connect as those, so no device may be named so);
// - a ThingName that is not on the allow-list table (operators add {thingName, storeId, serialNumber,
//   secretSha256}), whose StoreId or SerialNumber differs from the entry, or whose DeviceSecret does not hash
//   (SHA-256, hex) to the entry's secretSha256: a claim certificate and a thing name alone are not enough;
// - a thing that already exists: a claim certificate must never take over a registered device
//   (re-provisioning a device means deleting its thing first; README "Provisioning");
// - an entry already used: the entry is marked used (usedAt, usedBy = the new certificate) by a conditional
//   update, so of two requests racing past the existence check only one is allowed.
// Any error (throttling, a missing table) throws, which AWS IoT treats as a refusal: it fails closed.
'use strict';
const crypto = require('crypto');
const { IoTClient, DescribeThingCommand } = require('@aws-sdk/client-iot');
const { DynamoDBClient, GetItemCommand, UpdateItemCommand } = require('@aws-sdk/client-dynamodb');
const TABLE = process.env.ALLOW_LIST_TABLE;
const THING = /^[a-zA-Z0-9:_-]{1,128}$/;
const STORE = /^[a-zA-Z0-9_-]{1,64}$/;
const iot = new IoTClient({});
const ddb = new DynamoDBClient({});
const refuse = (reason, thing) => {
  console.log(JSON.stringify({ allowProvisioning: false, thing, reason }));
  return { allowProvisioning: false };
};
const sameSecret = (secret, hex) => {
  const want = Buffer.from(String(hex ?? ''), 'hex');
  const got = crypto.createHash('sha256').update(String(secret)).digest();
  return want.length === 32 && crypto.timingSafeEqual(want, got);
};
exports.handler = async (event) => {
  const p = event?.parameters ?? {};
  const thing = p.ThingName;
  if (typeof thing !== 'string' || !THING.test(thing) || thing.startsWith('provision-')) {
    return refuse('ThingName is missing or malformed');
  }
  if (typeof p.StoreId !== 'string' || !STORE.test(p.StoreId)) return refuse('StoreId is missing or malformed', thing);
  if (typeof p.SerialNumber !== 'string' || p.SerialNumber === '') return refuse('SerialNumber is missing', thing);
  if (typeof p.DeviceSecret !== 'string' || p.DeviceSecret === '') return refuse('DeviceSecret is missing', thing);
  const out = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { thingName: { S: thing } }, ConsistentRead: true }));
  const entry = out.Item;
  if (!entry) return refuse('not on the allow-list', thing);
  if (entry.storeId?.S !== p.StoreId) return refuse('StoreId differs from the allow-list', thing);
  if (entry.serialNumber?.S !== p.SerialNumber) return refuse('SerialNumber differs from the allow-list', thing);
  if (!sameSecret(p.DeviceSecret, entry.secretSha256?.S)) return refuse('DeviceSecret does not match the allow-list', thing);
  if (entry.usedAt !== undefined) return refuse('allow-list entry already used', thing);
  try {
    await iot.send(new DescribeThingCommand({ thingName: thing }));
    return refuse('thing already exists', thing);
  } catch (e) {
    if (e.name !== 'ResourceNotFoundException') throw e;
  }
  try {
    await ddb.send(new UpdateItemCommand({
      TableName: TABLE,
      Key: { thingName: { S: thing } },
      UpdateExpression: 'SET usedAt = :at, usedBy = :cert',
      ConditionExpression: 'attribute_exists(thingName) AND attribute_not_exists(usedAt)',
      ExpressionAttributeValues: { ':at': { S: new Date().toISOString() }, ':cert': { S: String(event.certificateId) } },
    }));
  } catch (e) {
    if (e.name === 'ConditionalCheckFailedException') return refuse('allow-list entry already used', thing);
    throw e;
  }
  console.log(JSON.stringify({ allowProvisioning: true, thing, store: p.StoreId }));
  return { allowProvisioning: true, parameterOverrides: {} };
};
