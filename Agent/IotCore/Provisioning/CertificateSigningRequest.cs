using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// The device's key pair and its PKCS#10 request, made on the device so the private key never leaves it
/// (Developer Guide, "CreateCertificateFromCsr": AWS signs the CSR and keeps its subject). Pure: no files.
/// </summary>
public static class CertificateSigningRequest
{
    /// <summary>A fresh key: EC P-256 (small, fast handshakes on a Pi) or RSA 2048.</summary>
    public static AsymmetricAlgorithm NewKey(KeyKind kind) => kind switch
    {
        KeyKind.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyKind.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown key kind."),
    };

    /// <summary>Loads a PEM private key (PKCS#8, SEC1 or PKCS#1) as written by <see cref="PemFiles.WritePrivateKey"/>.</summary>
    /// <exception cref="CryptographicException">Not a private key this agent uses.</exception>
    public static AsymmetricAlgorithm LoadKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Contains("RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa;
        }

        if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal))
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return ec;
        }

        // PKCS#8 names no algorithm in its label: try EC first (our default), then RSA.
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (CryptographicException)
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return rsa;
        }
    }

    /// <summary>The kind of <paramref name="key"/>.</summary>
    public static KeyKind KindOf(AsymmetricAlgorithm key) => key switch
    {
        ECDsa => KeyKind.EcP256,
        RSA => KeyKind.Rsa2048,
        _ => throw new ArgumentException($"Unsupported key type {key?.GetType().Name}.", nameof(key)),
    };

    /// <summary>
    /// A PEM CSR for <paramref name="key"/> with subject CN=<paramref name="commonName"/>, signed with SHA-256.
    /// The CN matters only to brokers that map it to a user (mosquitto's use_identity_as_username); AWS IoT ties the
    /// certificate to the thing by RegisterThing, not by its subject.
    /// </summary>
    public static string Build(AsymmetricAlgorithm key, string commonName)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (key is RSA ? X509KeyUsageFlags.KeyEncipherment : 0), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // TLS client auth
        return request.CreateSigningRequestPem();
    }

    /// <summary>True when <paramref name="certificatePem"/> certifies the public half of <paramref name="key"/>.</summary>
    public static bool Matches(string certificatePem, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            var theirs = certificate.PublicKey.ExportSubjectPublicKeyInfo();
            return theirs.AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
