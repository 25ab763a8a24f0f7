using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Interop with an independent implementation: MQTT.js 5.16 through a real mosquitto, mutual TLS.</summary>
public sealed class MqttJsInteropTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task Our_qos0_and_qos1_publishes_reach_mqttjs_intact()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        await using var js = await MqttJsPeer.SubscribeAsync(env.Broker, "js-sub", "dt/shelf/s1/t1/#", clean: true);
        await using var client = env.Client(env.ClientOptions("shelf-intact"));
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

        await env.UntilAsync(() => js.Messages.Count >= sent.Length, "MQTT.js received them", diagnostic: () => js.Errors);
        Assert.Equal(sent.Select(s => (s.Topic, Convert.ToHexString(s.Payload))), js.Messages.Select(m => (m.Topic, Convert.ToHexString(m.Payload))));
    }

    [Fact]
    public async Task Mqttjs_qos1_publishes_reach_our_subscription_handler_and_wildcards_route_correctly()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        await using var client = env.Client(env.ClientOptions("shelf-routes"));
        await client.ConnectOnceAsync(TestTransports.Patience());
        var plus = new ConcurrentQueue<string>();
        var hash = new ConcurrentQueue<string>();
        await client.SubscribeAsync("cmd/shelf/+/t1/reboot", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(plus, m), TestTransports.Patience());
        await client.SubscribeAsync("cmd/shelf/s1/#", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(hash, m), TestTransports.Patience());

        var publishers = new[]
        {
            MqttJsPeer.Publish(env.Broker, "js-a", "cmd/shelf/s1/t1/reboot", 30),   // both filters
            MqttJsPeer.Publish(env.Broker, "js-b", "cmd/shelf/s2/t1/reboot", 20),   // + only
            MqttJsPeer.Publish(env.Broker, "js-c", "cmd/shelf/s1", 10),             // # only (parent level)
            MqttJsPeer.Publish(env.Broker, "js-d", "cmd/other/s1/t1/reboot", 5),    // neither
        };
        foreach (var p in publishers)
        {
            await p.WaitPublishedAsync();
            await p.DisposeAsync();
        }

        // Nothing more may arrive: a marker both filters match comes after everything published before it.
        const string Marker = "cmd/shelf/s1/t1/reboot end";
        await env.PublishAsync("cmd/shelf/s1/t1/reboot", "end");
        await env.UntilAsync(() => plus.Contains(Marker) && hash.Contains(Marker), "the marker reached both handlers");
        Assert.Equal(Expected("cmd/shelf/s1/t1/reboot", 30).Concat(Expected("cmd/shelf/s2/t1/reboot", 20)).Append(Marker).Order(), plus.Order());
        Assert.Equal(Expected("cmd/shelf/s1/t1/reboot", 30).Concat(Expected("cmd/shelf/s1", 10)).Append(Marker).Order(), hash.Order());
    }

    [Fact]
    public async Task A_persistent_session_survives_our_reconnect_and_delivers_what_was_published_meanwhile()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        await using var cable = new TcpCable(env.Broker.Port);
        var options = env.ClientOptions("shelf-session");
        options.Port = cable.Port;
        options.CleanSession = false;
        await using var client = env.Client(options);
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
        await using (var js = MqttJsPeer.Publish(env.Broker, "js-while-away", "cmd/shelf/s1/shelf-session/config", 25))
        {
            await js.WaitPublishedAsync();
        }

        cable.Reconnect();
        await env.UntilAsync(() => received.Count >= 25, "the 25 messages published meanwhile arrived");

        Assert.Equal(Expected("cmd/shelf/s1/shelf-session/config", 25).Order(), received.Distinct().Order());
        Assert.Equal([false, true], sessions.ToArray());
    }

    [Fact]
    public async Task The_will_is_published_when_the_connection_is_lost_but_not_after_an_orderly_stop()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        await using var js = await MqttJsPeer.SubscribeAsync(env.Broker, "js-status", "dt/shelf/+/+/status", clean: true);
        await using var cable = new TcpCable(env.Broker.Port);
        MqttTransportOptions WithWill(string thing)
        {
            var o = env.ClientOptions(thing);
            o.Will = new MqttWill($"dt/shelf/s1/{thing}/status", "{\"online\":false}"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, Retain: false);
            return o;
        }

        await using (var orderly = env.Client(WithWill("shelf-orderly")))
        {
            await orderly.ConnectOnceAsync(TestTransports.Patience());
            await orderly.StopAsync(TestTransports.Patience());
        }

        var lostOptions = WithWill("shelf-lost");
        lostOptions.Port = cable.Port;
        await using var lost = env.Client(lostOptions);
        await lost.ConnectOnceAsync(TestTransports.Patience());
        await lost.PublishAsync(
            "dt/shelf/s1/shelf-lost/status", "{\"online\":true}"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
        await cable.SeverAsync();

        await env.UntilAsync(() => js.Messages.Count >= 2, "the status and the will arrived", diagnostic: () => js.Errors);
        // Nothing else (no will from the orderly stop): a marker comes after everything published before it.
        await env.PublishAsync("dt/shelf/s1/marker/status", "end");
        await env.UntilAsync(() => js.Messages.Any(m => m.Topic == "dt/shelf/s1/marker/status"), "the marker arrived", diagnostic: () => js.Errors);
        Assert.Equal(
            [
                ("dt/shelf/s1/shelf-lost/status", "{\"online\":true}"),
                ("dt/shelf/s1/shelf-lost/status", "{\"online\":false}"),
                ("dt/shelf/s1/marker/status", "end"),
            ],
            js.Messages.Select(m => (m.Topic, MqttJsPeer.Text(m.Payload))));
    }

    [Fact]
    public async Task Subscriptions_are_restored_when_a_restarted_broker_has_lost_the_session()
    {
        // No persistence: a restarted broker forgets the session. Subscriptions are logged: the signal that ours is back.
        await using var env = await IntegrationEnvironment.StartAsync(new() { Persistence = false, BrokerLines = ["log_type subscribe"] }, output);
        var options = env.ClientOptions("shelf-forgotten");
        options.CleanSession = false;
        await using var client = env.Client(options);
        var received = new ConcurrentQueue<string>();
        var sessions = new ConcurrentQueue<bool>();
        client.Connected += e =>
        {
            sessions.Enqueue(e.SessionPresent);
            return Task.CompletedTask;
        };
        await client.StartAsync(TestTransports.Patience());
        await client.WaitConnectedAsync(TestTransports.Patience());
        await client.SubscribeAsync(
            "cmd/shelf/s1/shelf-forgotten/#", MqttQualityOfServiceLevel.AtLeastOnce, m => Record(received, m), TestTransports.Patience());

        await env.StopBrokerAsync();
        await env.StartBrokerAgainAsync();  // no persistence: the broker forgot our session and subscription
        await env.UntilAsync(() => sessions.Count >= 2, "the client connected again");
        await client.WaitSubscriptionsRestoredAsync(TestTransports.Patience());
        await using (var js = MqttJsPeer.Publish(env.Broker, "js-after-restart", "cmd/shelf/s1/shelf-forgotten/config", 10))
        {
            await js.WaitPublishedAsync();
        }

        await env.UntilAsync(() => received.Count >= 10, "the 10 messages published after the restart arrived");

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
