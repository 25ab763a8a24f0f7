using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ShelfAgent.Transport;
using ShelfAgent.LocalIot.Pki;
using Xunit.Abstractions;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Our transport against a real mosquitto over real mutual TLS; an independent mosquitto_sub checks what arrived.</summary>
public sealed class MqttTransportMosquittoTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(KeyKind.EcP256, KeyEncoding.Pkcs8, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.EcP256, KeyEncoding.Traditional, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Pkcs8, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Traditional, MqttProtocolVersion.V500)]
    [InlineData(KeyKind.EcP256, KeyEncoding.Pkcs8, MqttProtocolVersion.V311)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Traditional, MqttProtocolVersion.V311)]
    public async Task Connects_with_mutual_tls_and_qos1_publishes_arrive_when_the_device_key_is(KeyKind kind, KeyEncoding encoding, MqttProtocolVersion protocol)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/#");
        var options = TestTransports.Options(broker, "shelf-001", kind, encoding);
        options.ProtocolVersion = protocol;
        await using var client = TestTransports.Create(options, output);

        await client.ConnectOnceAsync(TestTransports.Patience());
        for (var i = 0; i < 10; i++)
        {
            await client.PublishAsync("dt/shelf/s1/shelf-001/telemetry", Encoding.UTF8.GetBytes($"m{i}"), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
        }

        Assert.True(await sub.WaitUntilAsync(m => m.Count(x => x.Topic == "dt/shelf/s1/shelf-001/telemetry") == 10, TimeSpan.FromSeconds(20)), sub.Errors + broker.ReadLog());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), sub.Messages.Select(m => m.Payload));
    }

    [Fact]
    public async Task Is_refused_with_a_clear_error_when_no_client_certificate_is_given()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var options = TestTransports.Options(broker, "shelf-nocert");
        options.CertFile = null;
        options.KeyFile = null;
        await using var client = TestTransports.Create(options, output);

        var e = await Assert.ThrowsAnyAsync<MqttException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        var tls = Assert.IsType<MqttTlsException>(e);
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, tls.Failure);
        Assert.Contains("device certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Is_refused_with_a_clear_error_when_the_client_certificate_is_from_another_ca()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var other = await MosquittoBroker.StartAsync();
        var options = TestTransports.Options(broker, "shelf-foreign");
        (options.CertFile, options.KeyFile) = other.IssueDevice("shelf-foreign");
        await using var client = TestTransports.Create(options, output);

        var e = await Assert.ThrowsAnyAsync<MqttException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        Assert.Equal(MqttTlsFailure.ClientCertificateRejected, Assert.IsType<MqttTlsException>(e).Failure);
        Assert.NotNull(((MqttTlsException)e).Hint);
    }

    [Fact]
    public async Task Fails_with_unknown_ca_when_the_broker_certificate_is_not_from_the_trusted_ca()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var other = await MosquittoBroker.StartAsync();
        var options = TestTransports.Options(broker, "shelf-wrongca");
        options.CaFile = other.CaFile;
        await using var client = TestTransports.Create(options, output);

        var e = await Assert.ThrowsAsync<MqttTlsException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        output.WriteLine(e.ToString());
        Assert.Equal(MqttTlsFailure.UnknownCa, e.Failure);
        Assert.Contains("Mqtt:CaFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fails_with_connection_refused_when_nothing_listens()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await broker.StopAsync();
        await using var client = TestTransports.Create(TestTransports.Options(broker, "shelf-down"), output);

        var e = await Assert.ThrowsAsync<MqttTransportException>(() => client.ConnectOnceAsync(TestTransports.Patience()));

        Assert.Equal(MqttTransportFailure.ConnectionRefused, e.Failure);
        Assert.Contains("Mqtt:Port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_message_is_received_when_the_broker_restarts_mid_stream_and_the_caller_sends_again_what_failed()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        // MQTT.js as the receiver: it reconnects to its persistent session by itself (mosquitto_sub 2.0.11 sometimes
        // exits with "Protocol error" when the broker restarts under load).
        await using var sub = await MqttJsPeer.SubscribeAsync(broker, "restart-subscriber", "dt/#");
        await using var client = TestTransports.Create(TestTransports.Options(broker, "shelf-restart"), output);
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
                    await client.PublishAsync("dt/shelf/s1/shelf-restart/telemetry", Encoding.UTF8.GetBytes($"n{i}"), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience(120));
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
        await broker.StopAsync();                       // mid-stream: most of the first third still in flight
        for (var i = total / 3; i < 2 * total / 3; i++)
        {
            publishes.Add(Publish(i));                  // published while the broker is down
        }

        await Task.Delay(1500);
        await broker.StartAgainAsync();
        for (var i = 2 * total / 3; i < total; i++)
        {
            publishes.Add(Publish(i));
        }

        await Task.WhenAll(publishes);
        var expected = Enumerable.Range(0, total).Select(i => $"n{i}").ToHashSet();
        Assert.True(await sub.WaitUntilAsync(m => expected.IsSubsetOf(m.Select(x => MqttJsPeer.Text(x.Payload))), TimeSpan.FromSeconds(60)),
            $"missing {expected.Except(sub.Messages.Select(x => MqttJsPeer.Text(x.Payload))).Count()}: {sub.Errors}\n{broker.ReadLog()}");
    }
}
