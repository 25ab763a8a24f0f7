using Microsoft.Extensions.Time.Testing;
using MQTTnet.Protocol;
using ShelfAgent.Security;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Transport features: ALPN x-amzn-mqtt-ca through a relay that requires it; broker-certificate failures explained.</summary>
public sealed class MqttTransportTlsTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task Connects_through_a_server_that_requires_alpn_x_amzn_mqtt_ca_when_alpn_is_set()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        await using var relay = new AlpnRelay(env.Broker);
        var sub = await env.SubscribeAsync("dt/shelf/s1/shelf-443/#");
        var options = env.ClientOptions("shelf-443");
        options.Port = relay.Port;
        options.Alpn = MqttTransportOptions.AwsAlpn; // what Port=443 selects by itself
        await using var client = env.Client(options);

        await client.ConnectOnceAsync(TestTransports.Patience());
        await client.PublishAsync(
            "dt/shelf/s1/shelf-443/telemetry", "via-alpn"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());

        await env.UntilAsync(() => sub.Messages.Any(x => x.Payload == "via-alpn"), "the message came through the relay");
    }

    [Fact]
    public async Task Is_turned_away_by_that_server_without_alpn()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        await using var relay = new AlpnRelay(env.Broker);
        var options = env.ClientOptions("shelf-no-alpn");
        options.Port = relay.Port;
        options.Alpn = "";
        await using var client = env.Client(options);

        var e = await Assert.ThrowsAnyAsync<MqttException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        Assert.Equal(1, relay.RefusedForAlpn);
    }

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", "")]     // RFC 6066 §3: no SNI for an IP literal
    public async Task Sends_the_host_name_as_sni(string host, string expectedSni)
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.Host = host;
        await using var client = TestTransports.Create(options, output);

        var connecting = client.ConnectOnceAsync(TestTransports.Patience());
        await (await broker.AcceptAsync()).AcceptConnectAsync();
        await connecting;

        Assert.Equal(expectedSni, broker.LastServerName);
    }

    [Fact]
    public async Task Fails_with_host_name_mismatch_when_the_certificate_names_another_host()
    {
        await using var broker = new FakeBroker(serverCertificate: ca => ca.IssueServer("broker.example", ["broker.example"], []));
        await using var client = TestTransports.Create(broker.ClientOptions(), output);

        var e = await Assert.ThrowsAsync<MqttTlsException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        Assert.Equal(MqttTlsFailure.HostNameMismatch, e.Failure);
        Assert.Contains("broker.example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_with_certificate_expired_when_the_broker_certificate_expired()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddYears(-3));
        await using var broker = new FakeBroker(serverCertificate: ca => IssueAt(ca, past));
        await using var client = TestTransports.Create(broker.ClientOptions(), output);

        var e = await Assert.ThrowsAsync<MqttTlsException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        Assert.Equal(MqttTlsFailure.CertificateExpired, e.Failure);
    }

    [Fact]
    public async Task Fails_with_not_yet_valid_and_a_clock_hint_when_the_broker_certificate_starts_in_the_future()
    {
        var future = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(30));
        await using var broker = new FakeBroker(serverCertificate: ca => IssueAt(ca, future));
        await using var client = TestTransports.Create(broker.ClientOptions(), output);

        var e = await Assert.ThrowsAsync<MqttTlsException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        Assert.Equal(MqttTlsFailure.CertificateNotYetValid, e.Failure);
        Assert.Contains("clock", e.Message, StringComparison.Ordinal);
    }

    // A server certificate from a CA whose clock says "then": expired (3 years ago, 825 days) or not yet valid.
    private static IssuedCertificate IssueAt(DevCertificateAuthority ca, TimeProvider then)
    {
        using var skewed = DevCertificateAuthority.Load(WriteTemp(ca, out var keyPath), keyPath, then);
        return skewed.IssueServer("localhost", ["localhost"], [System.Net.IPAddress.Loopback]);
    }

    private static string WriteTemp(DevCertificateAuthority ca, out string keyPath)
    {
        var dir = Directory.CreateTempSubdirectory("skewed-ca-").FullName;
        var certPath = Path.Combine(dir, "ca.crt");
        keyPath = Path.Combine(dir, "ca.key");
        ca.WritePem(certPath, keyPath);
        return certPath;
    }
}
