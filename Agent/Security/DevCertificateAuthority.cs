using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Security;

/// <summary>
/// A development certificate authority made with .NET's own X.509 APIs (no openssl needed): it issues a
/// broker certificate for localhost and device certificates whose CN is the thing name, the way AWS IoT
/// and a mosquitto with <c>use_identity_as_username</c> expect. For development and tests only.
/// </summary>
public sealed class DevCertificateAuthority : IDisposable
{
    private readonly TimeProvider _time;

    private DevCertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key, TimeProvider time)
    {
        Certificate = certificate;
        Key = key;
        _time = time;
    }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's private key.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>Makes a new self-signed CA valid for ten years.</summary>
    public static DevCertificateAuthority Create(string commonName, KeyKind kind = KeyKind.EcP256, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var key = NewKey(kind);
        var request = NewRequest($"CN={commonName}, O=ShelfAgent development", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        // Back-dated a day: a Pi without an RTC may boot with a clock that lags the machine that made the certs.
        using var selfSigned = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        var publicOnly = X509CertificateLoader.LoadCertificate(selfSigned.RawData);
        return new DevCertificateAuthority(publicOnly, key, time);
    }

    /// <summary>Loads a CA written earlier by <see cref="WritePem"/>, so more devices can be issued from it.</summary>
    public static DevCertificateAuthority Load(string certificatePath, string keyPath, TimeProvider? time = null)
    {
        var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        var pem = File.ReadAllText(keyPath);
        AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? RSA.Create() : ECDsa.Create();
        key.ImportFromPem(pem);
        return new DevCertificateAuthority(certificate, key, time ?? TimeProvider.System);
    }

    /// <summary>A TLS server certificate for the given host names and addresses (e.g. localhost, 127.0.0.1, ::1).</summary>
    public IssuedCertificate IssueServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, KeyKind kind = KeyKind.EcP256)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        return Issue($"CN={commonName}, O=ShelfAgent development", kind, "1.3.6.1.5.5.7.3.1", san.Build(), TimeSpan.FromDays(825));
    }

    /// <summary>A device (TLS client) certificate whose CN is the thing name.</summary>
    public IssuedCertificate IssueClient(string thingName, KeyKind kind = KeyKind.EcP256, TimeSpan? lifetime = null, DateTimeOffset? notBefore = null)
        => Issue($"CN={thingName}", kind, "1.3.6.1.5.5.7.3.2", null, lifetime ?? TimeSpan.FromDays(825), notBefore);

    /// <summary>Writes the CA certificate and key as PEM (key 0600).</summary>
    public void WritePem(string certificatePath, string keyPath)
    {
        PemFiles.WriteCertificate(certificatePath, Certificate);
        PemFiles.WritePrivateKey(keyPath, Key);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    private IssuedCertificate Issue(string subject, KeyKind kind, string ekuOid, X509Extension? san, TimeSpan lifetime, DateTimeOffset? notBefore = null)
    {
        var key = NewKey(kind);
        var request = NewRequest(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | (kind == KeyKind.Rsa2048 ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ekuOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var from = notBefore ?? _time.GetUtcNow().AddDays(-1);
        var to = from + lifetime;
        var caNotAfter = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        if (to > caNotAfter)
        {
            to = caNotAfter;
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // a positive serial number (RFC 5280 §4.1.2.2)
        var generator = Key is RSA rsa
            ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa((ECDsa)Key);
        var certificate = request.Create(Certificate.SubjectName, generator, from, to, serial);
        return new IssuedCertificate(certificate, key);
    }

    private static AsymmetricAlgorithm NewKey(KeyKind kind) => kind switch
    {
        KeyKind.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyKind.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown key kind."),
    };

    private static CertificateRequest NewRequest(string subject, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
        _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
    };
}
