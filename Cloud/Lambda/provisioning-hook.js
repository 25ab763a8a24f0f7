// Fleet provisioning pre-provisioning hook (IoT developer guide "Pre-provisioning hooks"): AWS IoT calls it
// with {claimCertificateId, certificateId, templateArn, clientId, parameters} before RegisterThing and goes
// on only if it answers {allowProvisioning: true} within 5 seconds. Anyone holding the fleet's shared claim
// certificate can ask, so it refuses:
// - a ThingName or StoreId that is malformed;
// - a ThingName that is not on the allow-list table (operators add {thingName, storeId[, serialNumber]}),
//   or whose StoreId (or SerialNumber, when the entry has one) differs from the entry;
// - a thing that already exists: a claim certificate must never take over a registered device
//   (re-provisioning a device means deleting its thing first; README "Provisioning").
// Any error (throttling, a missing table) throws, which AWS IoT treats as a refusal: it fails closed.
'use strict';
const { IoTClient, DescribeThingCommand } = require('@aws-sdk/client-iot');
const { DynamoDBClient, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const TABLE = process.env.ALLOW_LIST_TABLE;
const THING = /^[a-zA-Z0-9:_-]{1,128}$/;
const STORE = /^[a-zA-Z0-9_-]{1,64}$/;
const iot = new IoTClient({});
const ddb = new DynamoDBClient({});
const refuse = (reason, thing) => {
  console.log(JSON.stringify({ allowProvisioning: false, thing, reason }));
  return { allowProvisioning: false };
};
exports.handler = async (event) => {
  const p = event?.parameters ?? {};
  const thing = p.ThingName;
  if (typeof thing !== 'string' || !THING.test(thing)) return refuse('ThingName is missing or malformed');
  if (typeof p.StoreId !== 'string' || !STORE.test(p.StoreId)) return refuse('StoreId is missing or malformed', thing);
  const out = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: { thingName: { S: thing } }, ConsistentRead: true }));
  const entry = out.Item;
  if (!entry) return refuse('not on the allow-list', thing);
  if (entry.storeId?.S !== p.StoreId) return refuse('StoreId differs from the allow-list', thing);
  if (entry.serialNumber?.S !== undefined && entry.serialNumber.S !== p.SerialNumber) {
    return refuse('SerialNumber differs from the allow-list', thing);
  }
  try {
    await iot.send(new DescribeThingCommand({ thingName: thing }));
    return refuse('thing already exists', thing);
  } catch (e) {
    if (e.name !== 'ResourceNotFoundException') throw e;
  }
  console.log(JSON.stringify({ allowProvisioning: true, thing, store: p.StoreId }));
  return { allowProvisioning: true, parameterOverrides: {} };
};
