// Pre-provisioning hook of the rotation template (IoT developer guide "Pre-provisioning hooks"): a provisioned
// device calls RegisterThing with its own, still valid certificate to register its next one (issue 14,
// rotate-certificate). The hook input names the caller's certificate (claimCertificateId) and the thing it asks
// for (parameters.ThingName); it allows only when that certificate is attached to that very thing, so no device
// can attach a certificate of its own to another device's thing. Any error throws: AWS IoT then refuses.
'use strict';
const { IoTClient, ListPrincipalThingsCommand } = require('@aws-sdk/client-iot');
const CERT_ARN_PREFIX = process.env.CERT_ARN_PREFIX;
const THING = /^[a-zA-Z0-9:_-]{1,128}$/;
const CERT = /^[0-9a-f]{64}$/;
const iot = new IoTClient({});
const answer = (allow, thing, reason) => {
  console.log(JSON.stringify({ allowProvisioning: allow, thing, reason }));
  return allow ? { allowProvisioning: true, parameterOverrides: {} } : { allowProvisioning: false };
};
exports.handler = async (event) => {
  const thing = event?.parameters?.ThingName;
  const caller = event?.claimCertificateId;
  if (typeof thing !== 'string' || !THING.test(thing)) return answer(false, undefined, 'ThingName is missing or malformed');
  if (typeof caller !== 'string' || !CERT.test(caller)) return answer(false, thing, 'caller certificate id is missing or malformed');
  let next;
  do {
    const out = await iot.send(new ListPrincipalThingsCommand({ principal: CERT_ARN_PREFIX + caller, nextToken: next }));
    if ((out.things ?? []).includes(thing)) return answer(true, thing, 'caller certificate is attached to the thing');
    next = out.nextToken;
  } while (next);
  return answer(false, thing, 'caller certificate is not attached to the thing');
};
