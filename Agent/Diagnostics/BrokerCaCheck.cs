using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.Transport;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// doctor: the broker's certificate chain against the CA the device trusts (Mqtt:CaFile, or the shipped Amazon roots
/// for an AWS IoT endpoint). It takes the certificates the broker presents in the TLS handshake — before any client
/// certificate matters — and builds the chain to that trust only, so a wrong CA file (the legacy VeriSign root for an
/// ATS endpoint, a development CA on a production device) is named as such, not as a vague handshake failure.
/// </summary>
public static class BrokerCaCheck
{
    /// <summary>Name of the finding.</summary>
    public const string Name = "broker CA";

    /// <summary>Checks the chain at <paramref name="options"/>' host and port; null when nothing answered (the broker check says why).</summary>
    public static async Task<CheckResult?> RunAsync(MqttTransportOptions options, string caSource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        X509Certificate2Collection? trust;
        try
        {
            trust = TlsCredentials.LoadTrust(options);
        }
        catch (MqttException e)
        {
            return new(Name, CheckStatus.Fail, $"{caSource}: {e.Message}");
        }

        if (trust is null)
        {
            return new(Name, CheckStatus.Ok, "no Mqtt:CaFile: the system's trust store is used");
        }

        var presented = await PresentedAsync(options, timeout, cancellationToken).ConfigureAwait(false);
        if (presented is not { Count: > 0 })
        {
            return null;
        }

        try
        {
            return Judge(presented[0], [.. presented.Skip(1)], trust, caSource);
        }
        finally
        {
            foreach (var c in presented)
            {
                c.Dispose();
            }

            foreach (var c in trust)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>The verdict for a presented chain against the trusted CAs (pure apart from the chain engine).</summary>
    public static CheckResult Judge(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, X509Certificate2Collection trust, string caSource)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(trust);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Dates are the clock's and the broker check's business: here only "which CA".
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        var trusted = string.Join("; ", trust.Select(c => c.GetNameInfo(X509NameType.SimpleName, false)));
        var issuer = leaf.GetNameInfo(X509NameType.SimpleName, true);
        var subject = leaf.GetNameInfo(X509NameType.SimpleName, false);
        if (chain.Build(leaf))
        {
            var root = chain.ChainElements[^1].Certificate.GetNameInfo(X509NameType.SimpleName, false);
            return new(Name, CheckStatus.Ok, $"the broker's certificate ({subject}) chains to {root} from {caSource}");
        }

        var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (a, s) => a | s.Status);
        if (flags.HasFlag(X509ChainStatusFlags.UntrustedRoot) || flags.HasFlag(X509ChainStatusFlags.PartialChain))
        {
            return new(
                Name,
                CheckStatus.Fail,
                $"wrong CA: the broker's certificate ({subject}) is issued by '{issuer}', but {caSource} holds '{trusted}': " +
                "set Mqtt:CaFile to the CA that issued the broker's certificate " +
                "(for AWS IoT ATS endpoints AmazonRootCA1.pem, or leave Mqtt:CaFile empty to use the shipped Amazon roots)");
        }

        return new(
            Name,
            CheckStatus.Fail,
            $"the broker's certificate ({subject}, issued by '{issuer}') does not verify against {caSource}: " +
            $"{string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}");
    }

    private static async Task<List<X509Certificate2>?> PresentedAsync(MqttTransportOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        List<X509Certificate2>? presented = null;
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(options.Host, options.Port, bound.Token).ConfigureAwait(false);
            await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
            var client = new SslClientAuthenticationOptions
            {
                TargetHost = options.Host,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is not null)
                    {
                        presented = [X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())];
                        // What the broker sent besides its own certificate (SslStream puts it in the extra store).
                        presented.AddRange((chain?.ChainPolicy.ExtraStore ?? []).Select(c => X509CertificateLoader.LoadCertificate(c.RawData)));
                    }

                    // Stop here: this check needs only what the broker presented, not a session.
                    return false;
                },
            };
            if (options.EffectiveAlpn is { } alpn)
            {
                client.ApplicationProtocols = [new SslApplicationProtocol(alpn)];
            }

            await tls.AuthenticateAsClientAsync(client, bound.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Expected: the callback refused on purpose, or nothing answered (then presented stays null).
        }

        return presented;
    }
}
