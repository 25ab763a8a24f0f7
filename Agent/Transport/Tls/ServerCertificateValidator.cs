using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Transport.Tls;

/// <summary>
/// Accepts the broker certificate only when the chain (built by SslStream with our custom root trust) and the
/// host name are valid, and records why not, so the handshake failure can be explained.
/// </summary>
internal static class ServerCertificateValidator
{
    /// <summary>Time allowed for fetching revocation data (CRL or OCSP) while the handshake waits.</summary>
    public static readonly TimeSpan RevocationFetchLimit = TimeSpan.FromSeconds(2);

    public static bool Validate(
        string host,
        X509Certificate? certificate,
        X509Chain? chain,
        SslPolicyErrors errors,
        TlsValidationOutcome outcome,
        TimeProvider time,
        X509Certificate2Collection? trust = null)
    {
        if (errors == SslPolicyErrors.None)
        {
            outcome.ServerAccepted = certificate is null || NotRevoked(certificate, trust, outcome);
            return outcome.ServerAccepted;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || certificate is null)
        {
            outcome.Failure = MqttTlsFailure.ServerCertificateInvalid;
            outcome.Detail = "The broker sent no certificate.";
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain is not null)
        {
            var now = time.GetUtcNow();
            foreach (var element in chain.ChainElements)
            {
                var flags = element.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
                if (flags.HasFlag(X509ChainStatusFlags.NotTimeValid))
                {
                    var c = element.Certificate;
                    var notBefore = new DateTimeOffset(c.NotBefore.ToUniversalTime());
                    var expired = now > new DateTimeOffset(c.NotAfter.ToUniversalTime());
                    outcome.Failure = expired ? MqttTlsFailure.CertificateExpired : MqttTlsFailure.CertificateNotYetValid;
                    outcome.Detail = expired
                        ? $"{c.Subject} expired on {c.NotAfter.ToUniversalTime():u}; device clock {now:u}."
                        : $"{c.Subject} is valid from {notBefore:u}; device clock {now:u}.";
                    return false;
                }
            }

            var all = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
            if (all.HasFlag(X509ChainStatusFlags.UntrustedRoot) || all.HasFlag(X509ChainStatusFlags.PartialChain))
            {
                outcome.Failure = MqttTlsFailure.UnknownCa;
                outcome.Detail = $"The broker presented {leaf.Subject} issued by {leaf.Issuer}.";
                return false;
            }

            outcome.Failure = MqttTlsFailure.ServerCertificateInvalid;
            outcome.Detail = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            return false;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            outcome.Failure = MqttTlsFailure.HostNameMismatch;
            var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
            var names = san is null ? leaf.Subject : string.Join(", ", san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())));
            outcome.Detail = $"The certificate is for {names}, but Mqtt:Host is {host}.";
            return false;
        }

        outcome.Failure = MqttTlsFailure.ServerCertificateInvalid;
        outcome.Detail = errors.ToString();
        return false;
    }

    /// <summary>
    /// Revocation, checked only for a certificate that names where its status is published (CRL distribution point or
    /// OCSP), with the fetch limited to <see cref="RevocationFetchLimit"/>: an offline device or a captive network must
    /// not hang the handshake, so an unknown status is accepted and only a certificate known to be revoked is refused.
    /// </summary>
    private static bool NotRevoked(X509Certificate certificate, X509Certificate2Collection? trust, TlsValidationOutcome outcome)
    {
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (!leaf.Extensions.Any(e => e.Oid?.Value is "2.5.29.31" or "1.3.6.1.5.5.7.1.1"))
        {
            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.Online;
        chain.ChainPolicy.RevocationFlag = X509RevocationFlag.ExcludeRoot;
        chain.ChainPolicy.UrlRetrievalTimeout = RevocationFetchLimit;
        if (trust is not null)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        }

        chain.Build(leaf);
        foreach (var element in chain.ChainElements)
        {
            if (element.ChainElementStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.Revoked)))
            {
                outcome.Failure = MqttTlsFailure.ServerCertificateRevoked;
                outcome.Detail = $"{element.Certificate.Subject} is revoked by its CA.";
                return false;
            }
        }

        return true;
    }
}
