using System.Security.Cryptography;
using ShelfAgent.Artifacts;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>A fleet update key made in the test (ECDSA P-256), signing as <c>openssl dgst -sha256 -sign</c> does (DER).</summary>
public sealed class SigningKey : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The public key as <c>Update:TrustedKeys</c> takes it: base64 DER SubjectPublicKeyInfo.</summary>
    public string PublicBase64 => Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo());

    /// <summary>The public key as a PEM block.</summary>
    public string PublicPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The key id jobs name it by.</summary>
    public string Id => TrustedKey.IdOf(_key.ExportSubjectPublicKeyInfo());

    /// <summary>Base64 DER signature over <paramref name="content"/> with SHA-256.</summary>
    public string Sign(byte[] content) =>
        Convert.ToBase64String(_key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>The private key as PEM (for scripts that sign with openssl).</summary>
    public string PrivatePem => _key.ExportPkcs8PrivateKeyPem();

    public void Dispose() => _key.Dispose();
}
