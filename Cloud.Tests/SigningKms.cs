namespace ShelfAgent.Cloud.Tests;

/// <summary>
/// A fake of <c>@aws-sdk/client-kms</c> whose <c>SignCommand</c> really signs: ECDSA P-256 over the given SHA-256 digest
/// (<c>MessageType: DIGEST</c>, <c>ECDSA_SHA_256</c>), DER, as KMS answers — with the private scalar the test puts in the
/// fakes as <c>KmsPrivateKeyHex</c>. Node's crypto hashes whatever it signs, so the curve arithmetic is written out here
/// (SEC 1 §4.1.3 with a random k; FIPS 186-4 D.1.2.3 parameters). Calls are recorded with the digest as hex.
/// </summary>
public static class SigningKms
{
    /// <summary>The package code for <see cref="NodeLambda.WithPackage"/> (package <c>client-kms</c>).</summary>
    public const string Code = """
        'use strict';
        const crypto = require('crypto');
        const p = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
        const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
        const G = { x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
                    y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n };
        const mod = (a, m) => ((a % m) + m) % m;
        const pow = (b, e, m) => { let r = 1n; b = mod(b, m); for (; e > 0n; e >>= 1n, b = b * b % m) if (e & 1n) r = r * b % m; return r; };
        const inv = (a, m) => pow(a, m - 2n, m);
        function add(P, Q) {
          if (!P) return Q;
          if (!Q) return P;
          let l;
          if (P.x === Q.x) {
            if (mod(P.y + Q.y, p) === 0n) return null;
            l = mod((3n * P.x * P.x - 3n) * inv(2n * P.y, p), p);
          } else l = mod((Q.y - P.y) * inv(Q.x - P.x, p), p);
          const x = mod(l * l - P.x - Q.x, p);
          return { x, y: mod(l * (P.x - x) - P.y, p) };
        }
        function mul(k, P) { let R = null; for (; k > 0n; k >>= 1n, P = add(P, P)) if (k & 1n) R = add(R, P); return R; }
        const big = (b) => BigInt('0x' + Buffer.from(b).toString('hex'));
        function der(v) {
          let h = v.toString(16); if (h.length % 2) h = '0' + h; if (parseInt(h.slice(0, 2), 16) >= 0x80) h = '00' + h;
          return Buffer.concat([Buffer.from([0x02, h.length / 2]), Buffer.from(h, 'hex')]);
        }
        class SignCommand { constructor(input) { this.input = input; } }
        class KMSClient {
          async send(command) {
            const state = globalThis.__fakeAws;
            const i = command.input;
            state.calls.push({ command: command.constructor.name,
              input: { KeyId: i.KeyId, MessageType: i.MessageType, SigningAlgorithm: i.SigningAlgorithm, Message: Buffer.from(i.Message).toString('hex') } });
            if (!(command instanceof SignCommand)) throw new Error('fake KMS signs only');
            const d = BigInt('0x' + state.responses.KmsPrivateKeyHex), z = big(i.Message);
            for (;;) {
              const k = mod(big(crypto.randomBytes(40)), n);
              if (k === 0n) continue;
              const r = mod(mul(k, G).x, n), s = mod(inv(k, n) * (z + r * d), n);
              if (r === 0n || s === 0n) continue;
              const body = Buffer.concat([der(r), der(s)]);
              const signature = new Uint8Array(Buffer.concat([Buffer.from([0x30, body.length]), body]));
              return { KeyId: i.KeyId, SigningAlgorithm: i.SigningAlgorithm, Signature: signature };
            }
          }
        }
        module.exports = { KMSClient, SignCommand };
        """;
}
