using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Mqtt.Channel;

/// <summary>
/// TCP + TLS 1.2/1.3 with a client certificate, server validated against the given CA (custom root trust, never the
/// system store when a CA file is given) and the host name, SNI, optional ALPN (x-amzn-mqtt-ca on port 443).
/// </summary>
public sealed class TlsChannelFactory : IMqttChannelFactory
{
    private readonly TimeProvider _time;

    /// <summary>Creates the factory.</summary>
    public TlsChannelFactory(TimeProvider time)
    {
        _time = time;
    }

    /// <inheritdoc />
    public async ValueTask<IMqttChannel> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Credentials first: a bad file is a configuration error, reported before touching the network.
        var trust = TlsCredentials.LoadTrust(options);
        var client = TlsCredentials.LoadClientCertificate(options);
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var outcome = new TlsValidationOutcome();
        Socket? socket = null;
        SslStream? ssl = null;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(options.Host, linked.Token).ConfigureAwait(false);
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(addresses, options.Port, linked.Token).ConfigureAwait(false);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(BuildSslOptions(options, trust, client, outcome), linked.Token).ConfigureAwait(false);
            return new StreamChannel(ssl, socket, options.Host, options.Port);
        }
        catch (Exception e)
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
            }

            socket?.Dispose();
            if (e is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new MqttTransportException(MqttTransportFailure.Timeout,
                    $"Connecting to {options.Host}:{options.Port} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s.",
                    "Check the network path and firewall (store firewalls often drop port 8883: try Mqtt:Port=443).", e);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            throw MqttExceptionTranslator.Translate(e, options.Host, options.Port, outcome);
        }
        finally
        {
            client?.Certificate.Dispose();
        }
    }

    private SslClientAuthenticationOptions BuildSslOptions(
        MqttClientOptions options,
        X509Certificate2Collection? trust,
        (X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? client,
        TlsValidationOutcome outcome)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            // TargetHost drives both SNI (not sent for IP literals, RFC 6066 §3) and the host-name check.
            TargetHost = options.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // Devices are often offline or behind captive networks: revocation is not fetched (AWS rotates via IoT).
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, cert, chain, errors) =>
                ServerCertificateValidator.Validate(options.Host, cert, chain, errors, outcome, _time),
        };
        if (trust is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(trust);
            ssl.CertificateChainPolicy = policy;
        }

        if (client is { } c)
        {
            // A context (not ClientCertificates) so the certificate is always sent, even when the broker's list
            // of acceptable CAs does not name its issuer: the broker then says why it refuses.
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(c.Certificate, c.Intermediates, offline: true);
        }

        if (options.EffectiveAlpn is { } alpn)
        {
            ssl.ApplicationProtocols = [new SslApplicationProtocol(alpn)];
        }

        return ssl;
    }
}
