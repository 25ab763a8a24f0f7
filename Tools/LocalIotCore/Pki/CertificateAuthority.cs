using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.LocalIot.Pki;

/// <summary>
/// The local core's certificate authority, made with .NET's X.509 APIs (no openssl): a self-signed CA that issues the
/// broker's TLS certificate (localhost, 127.0.0.1, ::1) and client certificates whose subject CN is the identity's
/// name (mosquitto's <c>use_identity_as_username</c> makes it the user name), and signs devices' CSRs
/// (<see cref="CsrSigner"/>). In AWS IoT Core, Amazon's CA plays this part. For local use only.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly TimeProvider _time;

    private CertificateAuthority(X509Certificate2 certificate, AsymmetricAlgorithm key, TimeProvider time)
    {
        Certificate = certificate;
        Key = key;
        _time = time;
    }

    /// <summary>The CA certificate (public part).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's private key.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>A new self-signed CA, valid from a day ago for ten years.</summary>
    public static CertificateAuthority Create(string commonName, KeyKind kind = KeyKind.EcP256, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var key = NewKey(kind);
        var request = NewRequest($"CN={commonName}, O=local-iot-core", key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        // Back-dated a day: a device whose clock lags the machine that made the CA still accepts it.
        using var selfSigned = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(selfSigned.RawData), key, time);
    }

    /// <summary>A CA written earlier by <see cref="WritePem"/>, so it goes on issuing (a restart keeps devices' certificates valid).</summary>
    public static CertificateAuthority Load(string certificatePath, string keyPath, TimeProvider? time = null)
    {
        var certificate = X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        // RFC 8017 rsaEncryption OID; anything else this CA writes is EC.
        AsymmetricAlgorithm key = certificate.GetKeyAlgorithm() == "1.2.840.113549.1.1.1" ? RSA.Create() : ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPath));
        return new CertificateAuthority(certificate, key, time ?? TimeProvider.System);
    }

    /// <summary>A TLS server certificate for the given host names and addresses.</summary>
    public IssuedCertificate IssueServer(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, KeyKind kind = KeyKind.EcP256)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var address in addresses)
        {
            san.AddIpAddress(address);
        }

        return Issue($"CN={commonName}", kind, ServerAuth, san.Build(), TimeSpan.FromDays(825), null);
    }

    /// <summary>A TLS client certificate whose CN is <paramref name="commonName"/> (a thing name, a claim, the service).</summary>
    public IssuedCertificate IssueClient(string commonName, KeyKind kind = KeyKind.EcP256, TimeSpan? lifetime = null, DateTimeOffset? notBefore = null)
        => Issue($"CN={commonName}", kind, ClientAuth, null, lifetime ?? TimeSpan.FromDays(825), notBefore);

    /// <summary>Writes the CA certificate and its key as PEM (key 0600).</summary>
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

    /// <summary>A signature generator over the CA's key (PKCS#1 v1.5 for RSA, as AWS's and most CAs' certificates are).</summary>
    internal X509SignatureGenerator SignatureGenerator() => Key is RSA rsa
        ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
        : X509SignatureGenerator.CreateForECDsa((ECDsa)Key);

    /// <summary>A random positive 128-bit serial number (RFC 5280 §4.1.2.2: positive, at most 20 octets).</summary>
    internal static byte[] NewSerial()
    {
        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        return serial;
    }

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    private IssuedCertificate Issue(string subject, KeyKind kind, string ekuOid, X509Extension? san, TimeSpan lifetime, DateTimeOffset? notBefore)
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

        var certificate = request.Create(Certificate.SubjectName, SignatureGenerator(), from, to, NewSerial());
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
