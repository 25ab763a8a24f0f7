using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.Security;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// Each virtual device's own certificate (EC P-256, CN = thing name) from the fleet's CA, kept in the device's folder so
/// a rerun connects at once instead of issuing 10,000 certificates again. A kept pair is used again only while it was
/// issued by this CA (its authority key id is the CA's key id) and stays valid for another day.
/// </summary>
public static class DeviceCertificates
{
    /// <summary>The device's certificate and key files, issued now or kept from an earlier run; true in Issued when new.</summary>
    public static (string CertFile, string KeyFile, bool Issued) Ensure(string folder, string thing, DevCertificateAuthority ca, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var certFile = Path.Combine(folder, "device.crt");
        var keyFile = Path.Combine(folder, "device.key");
        if (IsUsable(certFile, keyFile, thing, ca.Certificate, now))
        {
            return (certFile, keyFile, false);
        }

        Directory.CreateDirectory(folder);
        using var issued = ca.IssueClient(thing);
        issued.WritePem(certFile, keyFile);
        return (certFile, keyFile, true);
    }

    private static bool IsUsable(string certFile, string keyFile, string thing, X509Certificate2 caCertificate, DateTimeOffset now)
    {
        if (!File.Exists(certFile) || !File.Exists(keyFile))
        {
            return false;
        }

        try
        {
            using var cert = X509CertificateLoader.LoadCertificateFromFile(certFile);
            var issuedBy = cert.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
            var caKeyId = caCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier;
            var sameIssuer = issuedBy is { } a && caKeyId is { } b
                ? Convert.ToHexString(a.Span).Equals(b, StringComparison.OrdinalIgnoreCase)
                : cert.IssuerName.Name == caCertificate.SubjectName.Name;
            return cert.GetNameInfo(X509NameType.SimpleName, false) == thing
                && sameIssuer
                && cert.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1)
                && cert.NotBefore.ToUniversalTime() <= now.UtcDateTime;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
