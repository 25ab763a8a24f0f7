using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Interop with an independent implementation: MQTT.js 5.16 through a real mosquitto, mutual TLS.</summary>
public sealed class MqttJsInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Our_qos0_and_qos1_publishes_reach_mqttjs_intact()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var js = await MqttJsPeer.SubscribeAsync(broker, "js-sub", "dt/#", clean: true);
        await using var client = TestTransports.Create(TestTransports.Options(broker, "shelf-intact"), output);
        await client.ConnectOnceAsync(TestTransports.Patience());
        var allBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31)).ToArray();
        var utf8 = Encoding.UTF8.GetBytes("{\"sku\":\"Äpfel 🍎\",\"count\":3}");
        var sent = new (string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos)[]
        {
            ("dt/shelf/s1/t1/telemetry", allBytes, MqttQualityOfServiceLevel.AtLeastOnce),
            ("dt/shelf/s1/t1/telemetry", big, MqttQualityOfServiceLevel.AtLeastOnce),
            ("dt/shelf/s1/t1/events", utf8, MqttQualityOfServiceLevel.AtMostOnce),
            ("dt/shelf/s1/t1/ünïcödé", [], MqttQualityOfServiceLevel.AtLeastOnce),
        };

        foreach (var (topic, payload, qos) in sent)
        {
            await client.PublishAsync(topic, payload, qos, false, TestTransports.Patience());
        }

        Assert.True(await js.WaitUntilAsync(m => m.Count >= sent.Length, TimeSpan.FromSeconds(20)), js.Errors);
        Assert.Equal(sent.Select(s => (s.Topic, Convert.ToHexString(s.Payload))), js.Messages.Select(m => (m.Topic, Convert.ToHexString(m.Payload))));
    }

    [Fact]
    public async Task Mqttjs_qos1_publishes_reach_our_subscription_handler_and_wildcards_route_correctly()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var client = TestTransports.Create(TestTransports.Options(broker, "shelf-routes"), output);
        await client.ConnectOnceAsync(TestTransports.Patience());
        var plus = new ConcurrentQueue<string>();
        var hash = new ConcurrentQueue<string>();
        await client.SubscribeAsync("cmd/shelf/+/t1/reboot", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(plus, m), TestTransports.Patience());
        await client.SubscribeAsync("cmd/shelf/s1/#", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(hash, m), TestTransports.Patience());

        var publishers = new[]
        {
            MqttJsPeer.Publish(broker, "js-a", "cmd/shelf/s1/t1/reboot", 30),   // both filters
            MqttJsPeer.Publish(broker, "js-b", "cmd/shelf/s2/t1/reboot", 20),   // + only
            MqttJsPeer.Publish(broker, "js-c", "cmd/shelf/s1", 10),             // # only (parent level)
            MqttJsPeer.Publish(broker, "js-d", "cmd/other/s1/t1/reboot", 5),    // neither
        };
        foreach (var p in publishers)
        {
            await p.WaitPublishedAsync();
            await p.DisposeAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((plus.Count < 50 || hash.Count < 40) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300); // nothing more may arrive
        Assert.Equal(Expected("cmd/shelf/s1/t1/reboot", 30).Concat(Expected("cmd/shelf/s2/t1/reboot", 20)).Order(), plus.Order());
        Assert.Equal(Expected("cmd/shelf/s1/t1/reboot", 30).Concat(Expected("cmd/shelf/s1", 10)).Order(), hash.Order());
    }

    [Fact]
    public async Task A_persistent_session_survives_our_reconnect_and_delivers_what_was_published_meanwhile()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var cable = new TcpCable(broker.Port);
        var options = TestTransports.Options(broker, "shelf-session");
        options.Port = cable.Port;
        options.CleanSession = false;
        await using var client = new MqttTransport(options, TimeProvider.System, new TestLogger<MqttTransport>(output));
        var received = new ConcurrentQueue<string>();
        var sessions = new ConcurrentQueue<bool>();
        client.Connected += e =>
        {
            sessions.Enqueue(e.SessionPresent);
            return Task.CompletedTask;
        };
        await client.StartAsync(TestTransports.Patience());
        await client.WaitConnectedAsync(TestTransports.Patience());
        await client.SubscribeAsync("cmd/shelf/s1/shelf-session/#", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(received, m), TestTransports.Patience());

        await cable.SeverAsync();
        await using (var js = MqttJsPeer.Publish(broker, "js-while-away", "cmd/shelf/s1/shelf-session/config", 25))
        {
            await js.WaitPublishedAsync();
        }

        cable.Reconnect();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (received.Count < 25 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(Expected("cmd/shelf/s1/shelf-session/config", 25).Order(), received.Distinct().Order());
        Assert.Equal([false, true], sessions.ToArray());
    }

    [Fact]
    public async Task The_will_is_published_when_the_connection_is_lost_but_not_after_an_orderly_stop()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var js = await MqttJsPeer.SubscribeAsync(broker, "js-status", "dt/shelf/+/+/status", clean: true);
        await using var cable = new TcpCable(broker.Port);
        MqttTransportOptions WithWill(string thing)
        {
            var o = TestTransports.Options(broker, thing);
            o.Will = new MqttWill($"dt/shelf/s1/{thing}/status", "{\"online\":false}"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, Retain: false);
            return o;
        }

        await using (var orderly = new MqttTransport(WithWill("shelf-orderly"), TimeProvider.System, new TestLogger<MqttTransport>(output)))
        {
            await orderly.ConnectOnceAsync(TestTransports.Patience());
            await orderly.StopAsync(TestTransports.Patience());
        }

        var lostOptions = WithWill("shelf-lost");
        lostOptions.Port = cable.Port;
        await using var lost = new MqttTransport(lostOptions, TimeProvider.System, new TestLogger<MqttTransport>(output));
        await lost.ConnectOnceAsync(TestTransports.Patience());
        await lost.PublishAsync("dt/shelf/s1/shelf-lost/status", "{\"online\":true}"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
        await cable.SeverAsync();

        Assert.True(await js.WaitUntilAsync(m => m.Count >= 2, TimeSpan.FromSeconds(20)), js.Errors);
        await Task.Delay(300);
        Assert.Equal(
            [("dt/shelf/s1/shelf-lost/status", "{\"online\":true}"), ("dt/shelf/s1/shelf-lost/status", "{\"online\":false}")],
            js.Messages.Select(m => (m.Topic, MqttJsPeer.Text(m.Payload))));
    }

    [Fact]
    public async Task Subscriptions_are_restored_when_a_restarted_broker_has_lost_the_session()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = false });
        var options = TestTransports.Options(broker, "shelf-forgotten");
        options.CleanSession = false;
        await using var client = TestTransports.Create(options, output);
        var received = new ConcurrentQueue<string>();
        var sessions = new ConcurrentQueue<bool>();
        client.Connected += e =>
        {
            sessions.Enqueue(e.SessionPresent);
            return Task.CompletedTask;
        };
        await client.StartAsync(TestTransports.Patience());
        await client.WaitConnectedAsync(TestTransports.Patience());
        await client.SubscribeAsync("cmd/shelf/s1/shelf-forgotten/#", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(received, m), TestTransports.Patience());

        await broker.StopAsync();
        await broker.StartAgainAsync();     // no persistence: the broker forgot our session and subscription
        while (sessions.Count < 2)
        {
            await Task.Delay(50, TestTransports.Patience());
        }

        await client.WaitSubscriptionsRestoredAsync(TestTransports.Patience());
        await using (var js = MqttJsPeer.Publish(broker, "js-after-restart", "cmd/shelf/s1/shelf-forgotten/config", 10))
        {
            await js.WaitPublishedAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (received.Count < 10 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal([false, false], sessions.ToArray());
        Assert.Equal(Expected("cmd/shelf/s1/shelf-forgotten/config", 10).Order(), received.Order());
    }

    private static ValueTask Record(ConcurrentQueue<string> into, MqttApplicationMessage m)
    {
        into.Enqueue($"{m.Topic} {Encoding.UTF8.GetString(m.Payload)}");
        return ValueTask.CompletedTask;
    }

    private static IEnumerable<string> Expected(string topic, int count) => Enumerable.Range(0, count).Select(i => $"{topic} mqttjs-{i}");
}
