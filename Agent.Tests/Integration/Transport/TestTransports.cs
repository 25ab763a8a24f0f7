using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Builds our client for a test broker: mutual TLS with a device certificate from the broker's CA, no rate limits.</summary>
public static class TestTransports
{
    public static MqttTransportOptions Options(MosquittoBroker broker, string clientId, KeyKind kind = KeyKind.EcP256, KeyEncoding encoding = KeyEncoding.Pkcs8)
    {
        var (cert, key) = broker.IssueDevice(clientId, kind, encoding);
        return new MqttTransportOptions
        {
            Host = broker.Host,
            Port = broker.Port,
            ClientId = clientId,
            CaFile = broker.CaFile,
            CertFile = cert,
            KeyFile = key,
            MaxPublishesPerSecond = 0,
            MaxBytesPerSecond = 0,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        };
    }

    public static MqttTransport Create(MqttTransportOptions options, ITestOutputHelper? output = null)
        => new(options, TimeProvider.System, new TestLogger<MqttTransport>(output));

    /// <summary>A generous bound for waits in integration tests: a failure, not a speed check.</summary>
    public static CancellationToken Patience(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
