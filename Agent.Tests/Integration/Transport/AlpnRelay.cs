using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>
/// Stands in for AWS IoT on port 443: a TLS server on 127.0.0.1 that requires a client certificate from the
/// broker's CA and the ALPN protocol x-amzn-mqtt-ca, then relays the MQTT bytes to mosquitto over its own mTLS
/// connection. A client that does not offer the protocol is disconnected right after the handshake.
/// </summary>
public sealed class AlpnRelay : IAsyncDisposable
{
    private readonly MosquittoBroker _broker;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _serverCertificate;
    private readonly X509Certificate2 _relayCertificate;
    private readonly X509Certificate2Collection _trust = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AlpnRelay(MosquittoBroker broker)
    {
        _broker = broker;
        _serverCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(broker.Directory, "server.crt"), Path.Combine(broker.Directory, "server.key"));
        var (cert, key) = broker.IssueDevice("alpn-relay");
        _relayCertificate = X509Certificate2.CreateFromPemFile(cert, key);
        _trust.ImportFromPemFile(broker.CaFile);
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int RefusedForAlpn { get; private set; }

    /// <summary>Connections that offered x-amzn-mqtt-ca and were relayed to mosquitto.</summary>
    public int Relayed { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _serverCertificate.Dispose();
        _relayCertificate.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = RelayAsync(socket);
        }
    }

    private async Task RelayAsync(Socket socket)
    {
        await using var front = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(_trust);
            await front.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _serverCertificate,
                ClientCertificateRequired = true,
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, cert, _, errors) => cert is not null && errors == SslPolicyErrors.None,
                ApplicationProtocols = [new SslApplicationProtocol(MqttTransportOptions.AwsAlpn)],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, _stop.Token);
            if (front.NegotiatedApplicationProtocol != new SslApplicationProtocol(MqttTransportOptions.AwsAlpn))
            {
                RefusedForAlpn++;
                return; // what AWS IoT does on 443 without x-amzn-mqtt-ca: no MQTT for you
            }

            Relayed++;
            using var backSocket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await backSocket.ConnectAsync(IPAddress.Loopback, _broker.Port, _stop.Token);
            await using var back = new SslStream(new NetworkStream(backSocket, ownsSocket: false));
            await back.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "127.0.0.1",
                ClientCertificates = [_relayCertificate],
                CertificateChainPolicy = policy,
                RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
            }, _stop.Token);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            await Task.WhenAny(front.CopyToAsync(back, done.Token), back.CopyToAsync(front, done.Token));
            await done.CancelAsync();
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException)
        {
            // One relayed connection ended; the client under test sees it and reconnects or fails.
        }
    }
}
