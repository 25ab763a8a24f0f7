using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Mqtt.Channel;

/// <summary>
/// Accepts the broker certificate only when the chain (built by SslStream with our custom root trust) and the
/// host name are valid, and records why not, so the handshake failure can be explained.
/// </summary>
internal static class ServerCertificateValidator
{
    public static bool Validate(string host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, TlsValidationOutcome outcome, TimeProvider time)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
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
}
