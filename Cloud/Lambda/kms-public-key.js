'use strict';
// CloudFormation custom resource (Custom::KmsPublicKey): reads the public half of an asymmetric KMS signing key so the
// stack can output it for the devices' trusted keys (Update:TrustedKeys, Profiles:TrustedKeys), base64 DER
// (SubjectPublicKeyInfo), the form the agent reads. The private half never leaves KMS; this function may only call
// kms:GetPublicKey on the stack's signing keys. It answers CloudFormation itself (PUT to the pre-signed ResponseURL,
// no content type: the URL's signature covers none), so no helper module is needed.
const { KMSClient, GetPublicKeyCommand } = require('@aws-sdk/client-kms');
const kms = new KMSClient({});

exports.handler = async (event) => {
  const keyId = event.ResourceProperties && event.ResourceProperties.KeyId;
  const answer = {
    Status: 'SUCCESS',
    PhysicalResourceId: event.PhysicalResourceId || 'public-key-' + event.LogicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: {},
  };
  try {
    // Delete has nothing to undo: the key itself is retained by its own resource.
    if (event.RequestType !== 'Delete') {
      const key = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (key.KeySpec !== 'ECC_NIST_P256' || key.KeyUsage !== 'SIGN_VERIFY') {
        throw new Error('key ' + keyId + ' is ' + key.KeySpec + '/' + key.KeyUsage + ', not ECC_NIST_P256/SIGN_VERIFY');
      }
      answer.PhysicalResourceId = key.KeyId;
      answer.Data = { PublicKey: Buffer.from(key.PublicKey).toString('base64'), KeyId: key.KeyId };
    }
  } catch (e) {
    answer.Status = 'FAILED';
    answer.Reason = (e.name || 'Error') + ': ' + e.message;
  }
  console.log(JSON.stringify({ request: event.RequestType, key: keyId, status: answer.Status, reason: answer.Reason }));
  const response = await fetch(event.ResponseURL, { method: 'PUT', body: Buffer.from(JSON.stringify(answer)) });
  if (!response.ok) throw new Error('CloudFormation response refused: HTTP ' + response.status);
  return answer;
};
