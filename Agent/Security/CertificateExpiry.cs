using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Security;

/// <summary>
/// A certificate's place in its lifetime (issue 14, "Certificate expiry: a warning in the log, the shadow and doctor
/// from 80% of its lifetime"). Lifetime = notAfter − notBefore; from <see cref="WarnFraction"/> of it used the state is
/// <see cref="CertificateExpiryState.Expiring"/>. A 1-year certificate warns 73 days before its end; AWS IoT's own
/// certificates from create-from-csr are long-lived, a private CA's may be days. Pure apart from <see cref="Read"/>.
/// </summary>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
/// <param name="LifetimeUsed">Fraction of the lifetime elapsed at the time assessed (0 before the start, above 1 after the end).</param>
/// <param name="State">The verdict.</param>
public sealed record CertificateExpiry(DateTimeOffset NotBefore, DateTimeOffset NotAfter, double LifetimeUsed, CertificateExpiryState State)
{
    /// <summary>The share of the lifetime from which the certificate counts as expiring.</summary>
    public const double WarnFraction = 0.8;

    /// <summary>When the warning starts: <see cref="NotBefore"/> + 80% of the lifetime.</summary>
    public DateTimeOffset WarnFrom => NotBefore + ((NotAfter - NotBefore) * WarnFraction);

    /// <summary>Whole days left until <see cref="NotAfter"/> at <paramref name="now"/> (negative once expired).</summary>
    public int DaysLeft(DateTimeOffset now) => (int)Math.Floor((NotAfter - now).TotalDays);

    /// <summary>Assesses validity dates at <paramref name="now"/>.</summary>
    public static CertificateExpiry Assess(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now)
    {
        var lifetime = notAfter - notBefore;
        var used = lifetime <= TimeSpan.Zero ? 1.0 : (now - notBefore) / lifetime;
        var state = now < notBefore ? CertificateExpiryState.NotYetValid
            : now >= notAfter ? CertificateExpiryState.Expired
            : used >= WarnFraction ? CertificateExpiryState.Expiring
            : CertificateExpiryState.Ok;
        return new CertificateExpiry(notBefore, notAfter, used, state);
    }

    /// <summary>Assesses a certificate.</summary>
    public static CertificateExpiry Assess(X509Certificate2 certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Assess(new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), now);
    }

    /// <summary>Assesses the first certificate of a PEM or DER file; null when the file holds none or cannot be read.</summary>
    public static CertificateExpiry? Read(string certFile, DateTimeOffset now)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(certFile);
            return Assess(certificate, now);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>One line for a log or a finding: "valid until 2027-12-01, 80% of its lifetime used".</summary>
    public string Describe(DateTimeOffset now) => State switch
    {
        CertificateExpiryState.Expired => $"expired {NotAfter:yyyy-MM-dd HH:mm}Z",
        CertificateExpiryState.NotYetValid => $"not valid until {NotBefore:yyyy-MM-dd HH:mm}Z (clock is {now:yyyy-MM-dd HH:mm}Z)",
        _ => $"valid until {NotAfter:yyyy-MM-dd} ({DaysLeft(now)} days left, {LifetimeUsed:P0} of its lifetime used)",
    };
}
