using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.LocalIot.Pki;

/// <summary>A certificate and its private key, as <see cref="CertificateAuthority"/> issued them.</summary>
public sealed class IssuedCertificate(X509Certificate2 certificate, AsymmetricAlgorithm key) : IDisposable
{
    /// <summary>The certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>The private key.</summary>
    public AsymmetricAlgorithm Key { get; } = key;

    /// <summary>Writes the certificate and the key as PEM files (key 0600).</summary>
    public void WritePem(string certificatePath, string keyPath, KeyEncoding encoding = KeyEncoding.Pkcs8)
    {
        PemFiles.WriteCertificate(certificatePath, Certificate);
        PemFiles.WritePrivateKey(keyPath, Key, encoding);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
