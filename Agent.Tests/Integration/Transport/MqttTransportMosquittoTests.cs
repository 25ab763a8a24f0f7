using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Our transport against a real mosquitto over real mutual TLS; an independent mosquitto_sub checks what arrived.</summary>
public sealed class MqttTransportMosquittoTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Theory]
    [InlineData(KeyKind.EcP256, KeyEncoding.Pkcs8, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.EcP256, KeyEncoding.Traditional, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Pkcs8, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Traditional, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.EcP256, KeyEncoding.Pkcs8, MqttProtocolVersion.V311)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Traditional, MqttProtocolVersion.V311)]
    public async Task Connects_with_mutual_tls_and_qos1_publishes_arrive_when_the_device_key_is(
        KeyKind kind, KeyEncoding encoding, MqttProtocolVersion protocol)
    {
        // One client id and topic per case: the cases share the broker.
        var thing = $"shelf-001-{kind}-{encoding}-{protocol}".ToLowerInvariant();
        var topic = $"dt/shelf/s1/{thing}/telemetry";
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var sub = await env.SubscribeAsync(topic);
        var options = env.ClientOptions(thing, kind, encoding);
        options.ProtocolVersion = protocol;
        await using var client = env.Client(options);

        await client.ConnectOnceAsync(TestTransports.Patience());
        for (var i = 0; i < 10; i++)
        {
            await client.PublishAsync(topic, Encoding.UTF8.GetBytes($"m{i}"), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
        }

        await env.UntilAsync(() => sub.Messages.Count(x => x.Topic == topic) == 10, "the ten messages arrived");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), sub.Messages.Select(m => m.Payload));
    }

    [Fact]
    public async Task Is_refused_with_a_clear_error_when_no_client_certificate_is_given()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = env.ClientOptions("shelf-nocert");
        options.CertFile = null;
        options.KeyFile = null;
        await using var client = env.Client(options);

        var e = await Assert.ThrowsAnyAsync<MqttException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        var tls = Assert.IsType<MqttTlsException>(e);
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, tls.Failure);
        Assert.Contains("device certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_refused_with_a_clear_error_when_the_client_certificate_is_from_another_ca()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = env.ClientOptions("shelf-foreign");
        (_, options.CertFile, options.KeyFile) = env.ForeignIdentity("Other CA", "shelf-foreign");
        await using var client = env.Client(options);

        var e = await Assert.ThrowsAnyAsync<MqttException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, Assert.IsType<MqttTlsException>(e).Failure);
        Assert.NotNull(((MqttTlsException)e).Hint);
    }

    [Fact]
    public async Task Fails_with_unknown_ca_when_the_broker_certificate_is_not_from_the_trusted_ca()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = env.ClientOptions("shelf-wrongca");
        (options.CaFile, _, _) = env.ForeignIdentity("Other CA", "shelf-wrongca");
        await using var client = env.Client(options);

        var e = await Assert.ThrowsAsync<MqttTlsException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        Assert.Equal(MqttTlsFailure.UnknownCa, e.Failure);
        Assert.Contains("Mqtt:CaFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_with_connection_refused_when_nothing_listens()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = env.ClientOptions("shelf-down");
        options.Port = FreePort.Next();
        await using var client = env.Client(options);

        var e = await Assert.ThrowsAsync<MqttTransportException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        Assert.Equal(MqttTransportFailure.ConnectionRefused, e.Failure);
        Assert.Contains("Mqtt:Port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_message_is_received_when_the_broker_restarts_mid_stream_and_the_caller_sends_again_what_failed()
    {
        await using var env = await IntegrationEnvironment.StartAsync(output: output);
        // MQTT.js as the receiver: it reconnects to its persistent session by itself (mosquitto_sub 2.0.11 sometimes
        // exits with "Protocol error" when the broker restarts under load).
        await using var sub = await MqttJsPeer.SubscribeAsync(env.Broker, "restart-subscriber", "dt/#");
        await using var client = env.Client(env.ClientOptions("shelf-restart"));
        await client.StartAsync(TestTransports.Patience());
        await client.WaitConnectedAsync(TestTransports.Patience());
        const int total = 3000;
        var publishes = new List<Task>();
        // Like the outbox: what the broker did not acknowledge before the connection ended is sent again.
        async Task Publish(int i)
        {
            while (true)
            {
                try
                {
                    await client.PublishAsync(
                        "dt/shelf/s1/shelf-restart/telemetry",
                        Encoding.UTF8.GetBytes($"n{i}"),
                        MqttQualityOfServiceLevel.AtLeastOnce,
                        false,
                        TestTransports.Patience(120));
                    return;
                }
                catch (MqttNotConnectedException)
                {
                }
            }
        }

        for (var i = 0; i < total / 3; i++)
        {
            publishes.Add(Publish(i));
        }

        await Task.WhenAll(publishes.Take(100));
        await env.StopBrokerAsync();                    // mid-stream: most of the first third still in flight
        for (var i = total / 3; i < 2 * total / 3; i++)
        {
            publishes.Add(Publish(i));                  // published while the broker is down
        }

        // The outage is felt before the broker comes back: the client has lost its connection.
        await env.UntilAsync(() => !client.IsConnected, "the client noticed the outage");
        await env.StartBrokerAgainAsync();
        for (var i = 2 * total / 3; i < total; i++)
        {
            publishes.Add(Publish(i));
        }

        await Task.WhenAll(publishes);
        var expected = Enumerable.Range(0, total).Select(i => $"n{i}").ToHashSet();
        await env.UntilAsync(
            () => expected.IsSubsetOf(sub.Messages.Select(x => MqttJsPeer.Text(x.Payload))),
            $"all {total} messages reached MQTT.js",
            diagnostic: () => $"missing {expected.Except(sub.Messages.Select(x => MqttJsPeer.Text(x.Payload))).Count()}: {sub.Errors}");
    }
}
