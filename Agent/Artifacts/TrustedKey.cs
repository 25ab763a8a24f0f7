using System.Security.Cryptography;

namespace ShelfAgent.Artifacts;

/// <summary>
/// One public key in <c>Update:TrustedKeys</c>: an ECDSA P-256 key as a PEM <c>PUBLIC KEY</c> block or the base64 of its
/// DER SubjectPublicKeyInfo (what <c>aws kms get-public-key</c> returns). Its <see cref="Id"/> is the first 16 hex digits of
/// the SHA-256 of that DER, so a job can name the key that signed it and a fleet can carry the old and the new key while
/// it rotates. Ed25519 is refused with a reason: .NET 10 has no Ed25519 (dotnet/runtime#63174) and the agent adds no native
/// crypto library for it.
/// </summary>
/// <param name="Id">16 lowercase hex digits.</param>
/// <param name="SubjectPublicKeyInfo">The DER of the key.</param>
public sealed record TrustedKey(string Id, byte[] SubjectPublicKeyInfo)
{
    // id-Ed25519, RFC 8410 §3: 06 03 2B 65 70.
    private static readonly byte[] Ed25519Oid = [0x06, 0x03, 0x2B, 0x65, 0x70];

    /// <summary>The id of a key given as DER SubjectPublicKeyInfo.</summary>
    public static string IdOf(ReadOnlySpan<byte> subjectPublicKeyInfo) =>
        Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo))[..16];

    /// <summary>Reads one entry of <c>Update:TrustedKeys</c>; false with a reason when it is not an ECDSA P-256 public key.</summary>
    public static bool TryParse(string? text, out TrustedKey? key, out string? problem)
    {
        key = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "is empty; give an ECDSA P-256 public key (PEM \"-----BEGIN PUBLIC KEY-----\" or base64 DER)";
            return false;
        }

        byte[] der;
        try
        {
            der = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? PemEncoding.TryFind(text, out var fields) && text[fields.Label].Equals("PUBLIC KEY", StringComparison.Ordinal)
                    ? Convert.FromBase64String(text[fields.Base64Data])
                    : throw new FormatException("not a PEM \"PUBLIC KEY\" block (a private key or a certificate does not belong here)")
                : Convert.FromBase64String(text.Trim());
        }
        catch (FormatException e)
        {
            problem = $"is not a public key: {e.Message}";
            return false;
        }

        if (der.AsSpan().IndexOf(Ed25519Oid) >= 0)
        {
            problem = "is an Ed25519 key; this agent verifies ECDSA P-256 signatures only (.NET has no Ed25519): make the update key ECC_NIST_P256";
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(der, out var read);
            if (read != der.Length)
            {
                problem = "has bytes after the key";
                return false;
            }

            if (ecdsa.KeySize != 256)
            {
                problem = $"is an ECDSA key of {ecdsa.KeySize} bits; the update key must be P-256";
                return false;
            }
        }
        catch (CryptographicException e)
        {
            problem = $"is not an ECDSA P-256 public key: {e.Message}";
            return false;
        }

        key = new TrustedKey(IdOf(der), der);
        return true;
    }

    /// <summary>True when <paramref name="signature"/> (DER or r‖s) is this key's signature over the SHA-256 <paramref name="digest"/>.</summary>
    public bool Verifies(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        // P-256 r‖s is exactly 64 bytes; a DER SEQUENCE is 8–72 and starts with 0x30. Either may be 64 bytes starting
        // with 0x30 (an r whose first byte is 0x30, one signature in 256), so such a signature is tried both ways.
        var p1363 = signature.Length == 64 && Verify(ecdsa, digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return p1363 || (signature.Length > 0 && signature[0] == 0x30 && Verify(ecdsa, digest, signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static bool Verify(ECDsa ecdsa, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, DSASignatureFormat format)
    {
        try
        {
            return ecdsa.VerifyHash(digest, signature, format);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
