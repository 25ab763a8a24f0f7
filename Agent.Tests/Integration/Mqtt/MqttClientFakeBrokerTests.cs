using System.Collections.Concurrent;
using System.Text;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Packets;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Mqtt;

/// <summary>Protocol behaviour checked against a scripted broker over real TLS on 127.0.0.1.</summary>
public sealed class MqttClientFakeBrokerTests(ITestOutputHelper output)
{
    private static readonly CancellationToken s_patience = MqttTestClients.Patience(60);

    [Fact]
    public async Task Resends_unacknowledged_publishes_with_dup_in_order_before_new_ones_when_the_session_is_present()
    {
        await using var broker = new FakeBroker();
        await using var client = MqttTestClients.Create(broker.ClientOptions(), output);
        await client.StartAsync(s_patience);
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        await client.WaitConnectedAsync(s_patience);
        var sent = Enumerable.Range(0, 5).Select(i => client.PublishAsync("t/a", Encoding.UTF8.GetBytes($"p{i}"), MqttQos.AtLeastOnce, false, s_patience)).ToList();
        var firstRound = new List<PublishPacket>();
        for (var i = 0; i < 5; i++)
        {
            firstRound.Add(await first.ReadAsync<PublishPacket>());
        }

        await first.SendAsync(new PubAckPacket(firstRound[0].PacketId));
        await sent[0];
        await first.DisposeAsync();                      // connection lost with p1..p4 unacknowledged
        await WaitUntilAsync(() => !client.IsConnected);
        sent.Add(client.PublishAsync("t/a", "p5"u8.ToArray(), MqttQos.AtLeastOnce, false, s_patience)); // queued while offline

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: true);
        var secondRound = new List<PublishPacket>();
        for (var i = 0; i < 5; i++)
        {
            secondRound.Add(await second.ReadAsync<PublishPacket>());
        }

        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], secondRound.Select(p => Encoding.UTF8.GetString(p.Payload.Span)));
        Assert.Equal([true, true, true, true, false], secondRound.Select(p => p.Dup));
        Assert.Equal(firstRound.Skip(1).Select(p => p.PacketId), secondRound.Take(4).Select(p => p.PacketId));
        foreach (var p in secondRound)
        {
            await second.SendAsync(new PubAckPacket(p.PacketId));
        }

        await Task.WhenAll(sent);
        Assert.Equal(0, client.InFlightCount);
    }

    [Fact]
    public async Task Resubscribes_and_resends_without_dup_when_the_broker_lost_the_session()
    {
        await using var broker = new FakeBroker();
        await using var client = MqttTestClients.Create(broker.ClientOptions(), output);
        await client.StartAsync(s_patience);
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        var subscribing = client.SubscribeAsync("cmd/#", MqttQos.AtLeastOnce, _ => ValueTask.CompletedTask, s_patience);
        var subscribe = await first.ReadAsync<SubscribePacket>();
        await first.SendAsync(new SubAckPacket(subscribe.PacketId, new byte[] { 1 }));
        Assert.Equal([MqttQos.AtLeastOnce], await subscribing);
        var pending = client.PublishAsync("t/a", "x"u8.ToArray(), MqttQos.AtLeastOnce, false, s_patience);
        await first.ReadAsync<PublishPacket>();
        await first.DisposeAsync();

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: false);
        var restore = await second.ReadAsync();
        var resent = await second.ReadAsync();

        var resub = Assert.IsType<SubscribePacket>(restore);
        Assert.Equal("cmd/#", Assert.Single(resub.Filters).Filter);
        var again = Assert.IsType<PublishPacket>(resent);
        Assert.False(again.Dup);
        await second.SendAsync(new SubAckPacket(resub.PacketId, new byte[] { 1 }));
        await second.SendAsync(new PubAckPacket(again.PacketId));
        await pending;
    }

    [Theory]
    [InlineData(ConnectReturnCode.UnacceptableProtocolVersion, "unacceptable protocol version")]
    [InlineData(ConnectReturnCode.IdentifierRejected, "identifier rejected")]
    [InlineData(ConnectReturnCode.ServerUnavailable, "server unavailable")]
    [InlineData(ConnectReturnCode.BadUsernameOrPassword, "bad user name or password")]
    [InlineData(ConnectReturnCode.NotAuthorized, "not authorized: the broker rejected this certificate or policy")]
    public async Task Throws_a_typed_readable_error_when_connack_refuses(ConnectReturnCode code, string text)
    {
        await using var broker = new FakeBroker();
        await using var client = MqttTestClients.Create(broker.ClientOptions(), output);
        var connecting = client.ConnectOnceAsync(s_patience);
        await (await broker.AcceptAsync()).AcceptConnectAsync(code: code);

        var e = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connecting);

        Assert.Equal(code, e.ReturnCode);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Times_out_when_no_connack_arrives()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.ConnAckTimeout = TimeSpan.FromSeconds(1);
        await using var client = MqttTestClients.Create(options, output);
        var connecting = client.ConnectOnceAsync(s_patience);
        await (await broker.AcceptAsync()).ReadAsync<ConnectPacket>();   // and never answer

        var e = await Assert.ThrowsAsync<MqttTransportException>(() => connecting);

        Assert.Equal(MqttTransportFailure.Timeout, e.Failure);
        Assert.Contains("CONNACK", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 })]                              // reserved packet type
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F })]            // PUBLISH announcing 256 MB
    [InlineData(new byte[] { 0x20, 0x02, 0x00, 0x00 })]                  // a second CONNACK
    [InlineData(new byte[] { 0x90, 0x03, 0x00, 0x2A, 0x01 })]            // SUBACK for an id never used: ignored...
    public async Task Resets_the_connection_and_reconnects_when_the_broker_sends_garbage_after_connack(byte[] garbage)
    {
        await using var broker = new FakeBroker();
        await using var client = MqttTestClients.Create(broker.ClientOptions(), output);
        var reasons = new ConcurrentQueue<Exception?>();
        client.Disconnected += e =>
        {
            reasons.Enqueue(e.Reason);
            return Task.CompletedTask;
        };
        await client.StartAsync(s_patience);
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        await client.WaitConnectedAsync(s_patience);

        await first.SendAsync(garbage);
        await first.SendAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 >> 3)).ToArray()); // ...then noise

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync();
        await client.WaitConnectedAsync(s_patience);
        Assert.IsType<MqttProtocolException>(Assert.Single(reasons));
    }

    [Fact]
    public async Task Sends_pingreq_when_idle_and_replaces_a_connection_silent_for_one_and_a_half_keep_alives()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.KeepAliveSeconds = 1;
        await using var client = MqttTestClients.Create(options, output);
        var reasons = new ConcurrentQueue<Exception?>();
        client.Disconnected += e =>
        {
            reasons.Enqueue(e.Reason);
            return Task.CompletedTask;
        };
        await client.StartAsync(s_patience);
        var first = await broker.AcceptAsync();
        var connect = await first.AcceptConnectAsync();
        Assert.Equal(1, connect.KeepAliveSeconds);

        await first.ReadAsync<PingReqPacket>();
        await first.SendAsync(PingRespPacket.Instance);
        await first.ReadAsync<PingReqPacket>();              // and now stay silent

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync();
        var reason = Assert.IsType<MqttTransportException>(Assert.Single(reasons));
        Assert.Equal(MqttTransportFailure.KeepAliveTimeout, reason.Failure);
    }

    [Fact]
    public async Task Delivers_incoming_qos1_once_to_each_matching_handler_then_acknowledges()
    {
        await using var broker = new FakeBroker();
        await using var client = MqttTestClients.Create(broker.ClientOptions(), output);
        var connecting = client.ConnectOnceAsync(s_patience);
        var conn = await broker.AcceptAsync();
        await conn.AcceptConnectAsync();
        await connecting;
        var got = new ConcurrentQueue<string>();
        var filters = new[] { "cmd/+/reboot", "cmd/#", "cmd/x", "other/#" };
        var subscribes = filters.Select(f => client.SubscribeAsync(f, MqttQos.AtLeastOnce, m =>
        {
            got.Enqueue($"{f} {m.Topic} {Encoding.UTF8.GetString(m.Payload.Span)} {m.Qos}");
            return ValueTask.CompletedTask;
        }, s_patience)).ToList();
        for (var i = 0; i < filters.Length; i++)
        {
            var s = await conn.ReadAsync<SubscribePacket>();
            await conn.SendAsync(new SubAckPacket(s.PacketId, new byte[] { s.Filters[0].Filter == "other/#" ? (byte)0x80 : (byte)1 }));
        }

        var results = await Task.WhenAll(subscribes);
        Assert.Null(results[3][0]);                           // 0x80 → null
        await conn.SendAsync(new PublishPacket("cmd/dev1/reboot", "go"u8.ToArray(), MqttQos.AtLeastOnce, false, false, 77));

        var ack = await conn.ReadAsync<PubAckPacket>();
        Assert.Equal(77, ack.PacketId);
        Assert.Equal(["cmd/+/reboot cmd/dev1/reboot go AtLeastOnce", "cmd/# cmd/dev1/reboot go AtLeastOnce"], got.OrderByDescending(x => x.Length).ToArray());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            s_patience.ThrowIfCancellationRequested();
            await Task.Delay(20);
        }
    }
}
