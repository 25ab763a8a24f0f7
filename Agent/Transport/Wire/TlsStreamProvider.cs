using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Channel;

namespace ShelfAgent.Transport.Wire;

/// <summary>
/// The TCP connect and TLS handshake of every broker connection: MQTTnet runs MQTT over the stream returned here, with
/// its own TLS off. Ours because MQTTnet 5.2.0.1603 gives SslStream only <c>ClientCertificates</c>, so SslStream would
/// send the leaf alone and a broker that trusts only the root refuses a device certificate file that carries
/// intermediates after the leaf (a CA registered in multi-account mode, a fleet's own intermediate CA);
/// <see cref="SslStreamCertificateContext"/> sends the leaf and its intermediates. One TLS path for every certificate
/// file, so a leaf-only file and a chain are handshaken by the same code.
/// </summary>
internal sealed class TlsStreamProvider : IMqttClientStreamProvider
{
    private readonly MqttClientTcpOptions _tcp;
    private readonly MqttClientTlsOptions _tls;
    private readonly SslStreamCertificateContext? _certificate;
    private readonly TimeSpan _sendTimeout;

    /// <param name="tcp">MQTTnet's TCP options (buffer size, no-delay, linger).</param>
    /// <param name="tls">The TLS options MQTTnet would have applied (host, protocols, trust, validation, ALPN).</param>
    /// <param name="certificate">The device certificate with its intermediates; null when the broker asks for none.</param>
    /// <param name="sendTimeout">The socket send timeout (MQTTnet uses the client's timeout).</param>
    public TlsStreamProvider(MqttClientTcpOptions tcp, MqttClientTlsOptions tls, SslStreamCertificateContext? certificate, TimeSpan sendTimeout)
    {
        _tcp = tcp;
        _tls = tls;
        _certificate = certificate;
        _sendTimeout = sendTimeout;
    }

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        // As MQTTnet's MqttTcpChannel: a dual-mode socket when the address family is not given.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveBufferSize = _tcp.BufferSize,
            SendBufferSize = _tcp.BufferSize,
            SendTimeout = (int)_sendTimeout.TotalMilliseconds,
            NoDelay = _tcp.NoDelay,
            LingerState = _tcp.LingerState,
        };
        SslStream? ssl = null;
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(AuthenticationOptions(), cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    private SslClientAuthenticationOptions AuthenticationOptions()
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = _tls.TargetHost,
            EnabledSslProtocols = _tls.SslProtocol,
            ApplicationProtocols = _tls.ApplicationProtocols,
            CertificateRevocationCheckMode = _tls.RevocationMode,
            ClientCertificateContext = _certificate,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                _tls.CertificateValidationHandler(new MqttClientCertificateValidationEventArgs(certificate, chain, errors, _tcp)),
        };
        if (_tls.TrustChain is { Count: > 0 } trust)
        {
            // The chain policy MQTTnet builds for a trust chain, so the validation handler sees the same chain.
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                VerificationFlags = X509VerificationFlags.IgnoreEndRevocationUnknown,
                RevocationMode = _tls.RevocationMode,
            };
            options.CertificateChainPolicy.CustomTrustStore.AddRange(trust);
        }

        return options;
    }
}
