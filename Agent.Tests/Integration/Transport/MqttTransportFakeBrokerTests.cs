using System.Collections.Concurrent;
using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>Protocol behaviour checked against a scripted broker over real TLS on 127.0.0.1, both MQTT versions.</summary>
public sealed class MqttTransportFakeBrokerTests(ITestOutputHelper output)
{
    private static CancellationToken Patience => TestTransports.Patience(60);

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task A_publish_unacknowledged_when_the_connection_drops_fails_for_the_caller_and_is_not_resent_by_the_transport(MqttProtocolVersion protocol)
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(protocol: protocol), output);
        await client.StartAsync(Patience);
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        await client.WaitConnectedAsync(Patience);
        var sent = Enumerable.Range(0, 3)
            .Select(i => client.PublishAsync("t/a", Encoding.UTF8.GetBytes($"p{i}"), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience))
            .ToList();
        var firstRound = new List<RawPacket>();
        for (var i = 0; i < 3; i++)
        {
            firstRound.Add(await first.ExpectAsync(RawPacket.Publish));
        }

        await first.PubAckAsync(firstRound[0].PacketId);
        await sent[0];
        await first.DisposeAsync();                      // connection lost with p1, p2 unacknowledged

        // The caller (the publisher) gets them back: it returns them to the outbox, which sends them again.
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => sent[1]);
        await Assert.ThrowsAsync<MqttNotConnectedException>(() => sent[2]);
        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: true);
        var after = client.PublishAsync("t/a", "p3"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var next = await second.ExpectAsync(RawPacket.Publish);
        Assert.Equal("p3", Encoding.UTF8.GetString(next.Payload(second.Mqtt5)));
        Assert.Equal(1, next.PacketId);                  // MQTTnet starts ids again at 1 on each connection
        await second.PubAckAsync(next.PacketId);
        await after;
        Assert.Equal(0, client.InFlightCount);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Resubscribes_when_the_broker_lost_the_session(MqttProtocolVersion protocol)
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(protocol: protocol), output);
        await client.StartAsync(Patience);
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        var subscribing = client.SubscribeAsync("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce, _ => ValueTask.CompletedTask, Patience);
        var subscribe = await first.ExpectAsync(RawPacket.Subscribe);
        await first.SubAckAsync(subscribe.PacketId, 1);
        Assert.Equal([MqttQualityOfServiceLevel.AtLeastOnce], await subscribing);
        await first.DisposeAsync();

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: false);
        var restore = await second.ExpectAsync(RawPacket.Subscribe);

        Assert.Equal("cmd/#", restore.FirstFilter(second.Mqtt5));
        await second.SubAckAsync(restore.PacketId, 1);
    }

    [Theory]
    [InlineData(MqttProtocolVersion.V311, 1, "unsupported protocol version (0x84)")]
    [InlineData(MqttProtocolVersion.V311, 2, "client identifier not valid (0x85)")]
    [InlineData(MqttProtocolVersion.V311, 3, "server unavailable (0x88)")]
    [InlineData(MqttProtocolVersion.V311, 4, "bad user name or password (0x86)")]
    [InlineData(MqttProtocolVersion.V311, 5, "not authorized (0x87)")]
    [InlineData(MqttProtocolVersion.V500, 0x87, "not authorized (0x87)")]
    [InlineData(MqttProtocolVersion.V500, 0x8A, "banned (0x8A)")]
    [InlineData(MqttProtocolVersion.V500, 0x9F, "connection rate exceeded (0x9F)")]
    public async Task Throws_a_typed_readable_error_when_connack_refuses(MqttProtocolVersion protocol, byte code, string text)
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(protocol: protocol), output);
        var connecting = client.ConnectOnceAsync(Patience);
        await (await broker.AcceptAsync()).AcceptConnectAsync(code: code);

        var e = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => connecting);

        Assert.Contains(text, e.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Times_out_when_no_connack_arrives()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.ConnAckTimeout = TimeSpan.FromSeconds(1);
        options.ConnectTimeout = TimeSpan.FromSeconds(1);
        await using var client = TestTransports.Create(options, output);
        var connecting = client.ConnectOnceAsync(Patience);
        await (await broker.AcceptAsync()).ExpectAsync(RawPacket.Connect);   // and never answer

        var e = await Assert.ThrowsAsync<MqttTransportException>(() => connecting);

        Assert.Equal(MqttTransportFailure.Timeout, e.Failure);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 })]                              // reserved packet type
    [InlineData(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F })]            // PUBLISH announcing 256 MB
    [InlineData(new byte[] { 0x80, 0x02, 0x00, 0x01 })]                  // SUBSCRIBE, which a server never sends
    [InlineData(new byte[] { 0x90, 0x03, 0x00, 0x2A, 0x01 })]            // SUBACK for an id never used: ignored...
    public async Task Resets_the_connection_and_reconnects_when_the_broker_sends_garbage_after_connack(byte[] garbage)
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(), output);
        var reasons = DisconnectReasons(client);
        await client.StartAsync(Patience);
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        await client.WaitConnectedAsync(Patience);

        await first.SendAsync(garbage);
        await first.SendAsync(Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 >> 3)).ToArray()); // ...then noise

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync();
        await client.WaitConnectedAsync(Patience);
        Assert.IsType<MqttProtocolException>(Assert.Single(reasons));
    }

    [Fact]
    public async Task A_broker_declaring_a_268_mb_packet_costs_no_memory_and_the_connection_is_replaced()
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(), output);
        var reasons = DisconnectReasons(client);
        await client.StartAsync(Patience);
        var connection = await broker.AcceptAsync();
        await connection.AcceptConnectAsync();
        await client.WaitConnectedAsync(Patience);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        for (var round = 0; round < 5; round++)
        {
            // PUBLISH with Remaining Length 268,435,455 (the largest MQTT allows), then a trickle of body bytes.
            await connection.SendAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x01, 0x61 });
            connection = await broker.AcceptAsync();
            await connection.AcceptConnectAsync();
            await client.WaitConnectedAsync(Patience);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"allocated {allocated / 1024.0 / 1024.0:0.0} MB over 5 hostile packets and 5 reconnects");
        Assert.InRange(allocated, 0, 64L * 1024 * 1024);     // MQTTnet would have allocated 5 × 256 MB
        Assert.Equal(5, reasons.Count(r => r is MqttProtocolException p && p.Message.Contains("MaxIncomingPacketBytes", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sends_pingreq_when_idle_and_replaces_a_connection_silent_for_one_and_a_half_keep_alives()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.KeepAliveSeconds = 1;
        await using var client = TestTransports.Create(options, output);
        var reasons = DisconnectReasons(client);
        await client.StartAsync(Patience);
        var first = await broker.AcceptAsync();
        var connect = await first.AcceptConnectAsync();
        Assert.Equal(1, connect.KeepAlive);

        await first.ExpectAsync(RawPacket.PingReq);
        await first.PingRespAsync();
        await first.ExpectAsync(RawPacket.PingReq);              // and now stay silent

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync();
        var reason = Assert.IsType<MqttTransportException>(Assert.Single(reasons));
        Assert.Equal(MqttTransportFailure.KeepAliveTimeout, reason.Failure);
    }

    [Fact]
    public async Task Delivers_incoming_qos1_once_to_each_matching_handler_then_acknowledges()
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(), output);
        var connecting = client.ConnectOnceAsync(Patience);
        var conn = await broker.AcceptAsync();
        await conn.AcceptConnectAsync();
        await connecting;
        var got = new ConcurrentQueue<string>();
        var filters = new[] { "cmd/+/reboot", "cmd/#", "cmd/x", "other/#" };
        var subscribes = filters.Select(f => client.SubscribeAsync(f, MqttQualityOfServiceLevel.AtLeastOnce, m =>
        {
            got.Enqueue($"{f} {m.Topic} {Encoding.UTF8.GetString(m.Payload)} {m.QualityOfServiceLevel}");
            return ValueTask.CompletedTask;
        }, Patience)).ToList();
        for (var i = 0; i < filters.Length; i++)
        {
            var s = await conn.ExpectAsync(RawPacket.Subscribe);
            await conn.SubAckAsync(s.PacketId, s.FirstFilter(conn.Mqtt5) == "other/#" ? (byte)0x87 : (byte)1);
        }

        var results = await Task.WhenAll(subscribes);
        Assert.Null(results[3][0]);                           // refused → null
        await conn.PublishAsync("cmd/dev1/reboot", "go"u8.ToArray(), 77);

        var ack = await conn.ExpectAsync(RawPacket.PubAck);
        Assert.Equal(77, (ack.Body[0] << 8) | ack.Body[1]);
        Assert.Equal(["cmd/+/reboot cmd/dev1/reboot go AtLeastOnce", "cmd/# cmd/dev1/reboot go AtLeastOnce"], got.OrderByDescending(x => x.Length).ToArray());
    }

    [Fact]
    public async Task Honours_the_brokers_receive_maximum_below_max_in_flight()
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(), output);
        await client.StartAsync(Patience);
        var conn = await broker.AcceptAsync();
        await conn.AcceptConnectAsync(receiveMaximum: 3);
        await client.WaitConnectedAsync(Patience);
        Assert.Equal(3, client.WindowSize);

        var sent = Enumerable.Range(0, 5)
            .Select(i => client.PublishAsync("t/a", new[] { (byte)i }, MqttQualityOfServiceLevel.AtLeastOnce, false, Patience))
            .ToList();
        var onWire = new List<RawPacket>();
        for (var i = 0; i < 3; i++)
        {
            onWire.Add(await conn.ExpectAsync(RawPacket.Publish));
        }

        // Three await PUBACK; the other two wait for the window, not on the wire.
        Assert.Equal(3, client.InFlightCount);
        Assert.Equal(2, sent.Count(t => !t.IsCompleted) - 3);
        await conn.PubAckAsync(onWire[0].PacketId);
        onWire.Add(await conn.ExpectAsync(RawPacket.Publish));
        foreach (var p in onWire.Skip(1))
        {
            await conn.PubAckAsync(p.PacketId);
        }

        onWire.Add(await conn.ExpectAsync(RawPacket.Publish));
        await conn.PubAckAsync(onWire[^1].PacketId);
        await Task.WhenAll(sent);
    }

    [Fact]
    public async Task Never_reuses_a_packet_id_still_waiting_for_its_puback_after_the_ids_wrap()
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(), output);
        await client.StartAsync(Patience);
        var conn = await broker.AcceptAsync();
        await conn.AcceptConnectAsync();
        await client.WaitConnectedAsync(Patience);
        var stuck = client.PublishAsync("t/a", "stuck"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var first = await conn.ExpectAsync(RawPacket.Publish);
        Assert.Equal(1, first.PacketId);                     // never acknowledged (yet)

        // 65,535 more: ids 2..65535 are acknowledged, and the next id would be 1 again.
        var more = Task.Run(async () =>
        {
            for (var i = 0; i < 65_535; i++)
            {
                await client.PublishAsync("t/a", "x"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
            }
        });
        for (var expected = 2; expected <= 65_535; expected++)
        {
            var p = await conn.ExpectAsync(RawPacket.Publish);
            Assert.Equal(expected, p.PacketId);
            await conn.PubAckAsync(p.PacketId);
        }

        // The 65,535th waits for id 1 instead of reusing it; acknowledging the stuck one lets it go with id 1.
        Assert.False(more.IsCompleted);
        Assert.False(stuck.IsCompleted);
        await conn.PubAckAsync(1);
        await stuck;
        var wrapped = await conn.ExpectAsync(RawPacket.Publish);
        Assert.Equal(1, wrapped.PacketId);
        Assert.Equal("x", Encoding.UTF8.GetString(wrapped.Payload(conn.Mqtt5)));
        await conn.PubAckAsync(1);
        await more;
    }

    [Fact]
    public async Task Sends_the_telemetry_topic_as_an_alias_once_the_broker_has_acknowledged_it()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.AliasedTopics = ["dt/shelf/s1/dev/telemetry"];
        await using var client = TestTransports.Create(options, output);
        await client.StartAsync(Patience);
        var conn = await broker.AcceptAsync();
        await conn.AcceptConnectAsync(topicAliasMaximum: 8);
        await client.WaitConnectedAsync(Patience);
        Assert.Equal(1, client.TopicAliases);

        var one = client.PublishAsync("dt/shelf/s1/dev/telemetry", "a"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var p1 = await conn.ExpectAsync(RawPacket.Publish);
        await conn.PubAckAsync(p1.PacketId);
        await one;
        var two = client.PublishAsync("dt/shelf/s1/dev/telemetry", "b"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var p2 = await conn.ExpectAsync(RawPacket.Publish);
        await conn.PubAckAsync(p2.PacketId);
        await two;
        var other = client.PublishAsync("dt/shelf/s1/dev/status", "c"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var p3 = await conn.ExpectAsync(RawPacket.Publish);
        await conn.PubAckAsync(p3.PacketId);
        await other;

        Assert.Equal("dt/shelf/s1/dev/telemetry", p1.Topic);
        Assert.Equal([0, 1], p1.Properties(true)[0x23]);
        Assert.Equal("", p2.Topic);
        Assert.Equal([0, 1], p2.Properties(true)[0x23]);
        Assert.Equal("b", Encoding.UTF8.GetString(p2.Payload(true)));
        Assert.Equal("dt/shelf/s1/dev/status", p3.Topic);
        Assert.False(p3.Properties(true).ContainsKey(0x23));
    }

    [Fact]
    public async Task A_refused_publish_fails_with_its_reason_and_the_next_one_waits_instead_of_a_hot_loop()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.ReconnectMinDelay = TimeSpan.FromMilliseconds(300);
        await using var client = TestTransports.Create(options, output);
        await client.StartAsync(Patience);
        var conn = await broker.AcceptAsync();
        await conn.AcceptConnectAsync();
        await client.WaitConnectedAsync(Patience);

        var refused = client.PublishAsync("t/a", "a"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var p = await conn.ExpectAsync(RawPacket.Publish);
        await conn.PubAckAsync(p.PacketId, reason: 0x97);
        var e = await Assert.ThrowsAsync<MqttPublishRefusedException>(() => refused);
        Assert.Equal(0x97, e.ReasonCode);
        Assert.Contains("quota exceeded (0x97)", e.Message, StringComparison.Ordinal);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var next = client.PublishAsync("t/a", "b"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, Patience);
        var p2 = await conn.ExpectAsync(RawPacket.Publish);
        var waited = clock.Elapsed;
        await conn.PubAckAsync(p2.PacketId);
        await next;
        // A bound, not a speed check: the retry waited at least the backoff's floor (Mqtt reconnect minimum).
        Assert.True(waited >= TimeSpan.FromMilliseconds(250), $"the next publish went out after {waited.TotalMilliseconds:0} ms");
    }

    // Why each connection ended, in order.
    private static ConcurrentQueue<Exception?> DisconnectReasons(MqttTransport client)
    {
        var reasons = new ConcurrentQueue<Exception?>();
        client.Disconnected += e =>
        {
            reasons.Enqueue(e.Reason);
            return Task.CompletedTask;
        };
        return reasons;
    }
}
