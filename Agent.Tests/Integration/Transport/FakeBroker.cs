using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MQTTnet.Formatter;
using ShelfAgent.Security;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>
/// A scripted "broker" on 127.0.0.1 over real TLS (server certificate from a dev CA made in the test): each
/// accepted connection is handed to the test, which reads packets and answers with whatever bytes it likes,
/// including garbage. For behaviour no real broker can be made to show on demand.
/// </summary>
public sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly TempDirectory _dir = new("fakebroker");
    private readonly X509Certificate2 _serverCertificate;
    private readonly Channel<FakeBrokerConnection> _accepted = System.Threading.Channels.Channel.CreateUnbounded<FakeBrokerConnection>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FakeBrokerConnection> _connections = [];
    private readonly Task _acceptLoop;

    public FakeBroker(SslApplicationProtocol? requiredAlpn = null, Func<DevCertificateAuthority, IssuedCertificate>? serverCertificate = null)
    {
        using var ca = DevCertificateAuthority.Create("Fake broker CA");
        CaFile = _dir.File("ca.crt");
        ca.WritePem(CaFile, _dir.File("ca.key"));
        using var server = serverCertificate?.Invoke(ca) ?? ca.IssueServer("localhost", ["localhost"], [IPAddress.Loopback]);
        server.WritePem(_dir.File("server.crt"), _dir.File("server.key"));
        _serverCertificate = X509Certificate2.CreateFromPemFile(_dir.File("server.crt"), _dir.File("server.key"));
        RequiredAlpn = requiredAlpn;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public string CaFile { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public SslApplicationProtocol? RequiredAlpn { get; }

    public int Accepted { get; private set; }

    /// <summary>The TLS server name indication of the last handshake ("" for none).</summary>
    public string? LastServerName { get; private set; }

    /// <summary>Client options for this broker: TLS with its CA, no client certificate, no rate limits.</summary>
    public MqttTransportOptions ClientOptions(string clientId = "fake-client", MqttProtocolVersion protocol = MqttProtocolVersion.V500) => new()
    {
        ProtocolVersion = protocol,
        Host = "127.0.0.1",
        Port = Port,
        ClientId = clientId,
        CaFile = CaFile,
        MaxPublishesPerSecond = 0,
        MaxBytesPerSecond = 0,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        ConnAckTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Waits for the next TLS connection from the client.</summary>
    public async Task<FakeBrokerConnection> AcceptAsync(int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        foreach (var c in _connections)
        {
            await c.DisposeAsync();
        }

        _serverCertificate.Dispose();
        _stop.Dispose();
        _dir.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                var options = new SslServerAuthenticationOptions
                {
                    // Called with the SNI host name the client sent (empty when it sent none).
                    ServerCertificateSelectionCallback = (_, hostName) =>
                    {
                        LastServerName = hostName ?? "";
                        return _serverCertificate;
                    },
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                };
                if (RequiredAlpn is { } alpn)
                {
                    options.ApplicationProtocols = [alpn];
                }

                await ssl.AuthenticateAsServerAsync(options, _stop.Token);
                if (RequiredAlpn is { } required && ssl.NegotiatedApplicationProtocol != required)
                {
                    await ssl.DisposeAsync(); // like AWS IoT on 443: no x-amzn-mqtt-ca, no MQTT
                    continue;
                }
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                await ssl.DisposeAsync();
                continue;
            }

            Accepted++;
            var connection = new FakeBrokerConnection(ssl);
            _connections.Add(connection);
            await _accepted.Writer.WriteAsync(connection);
        }
    }
}
