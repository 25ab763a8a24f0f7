using System.Text;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>The transport's "subscriptions restored" signal and the requests it holds, against the scripted broker.</summary>
public sealed class SubscriptionsRestoredTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(MqttProtocolVersion.V500)]
    [InlineData(MqttProtocolVersion.V311)]
    public async Task Fires_after_a_reconnect_without_session_only_once_the_broker_acknowledged_the_subscriptions_again(MqttProtocolVersion protocol)
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(protocol: protocol), output);
        await client.StartAsync(TestTransports.Patience());
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        await client.WaitSubscriptionsRestoredAsync(TestTransports.Patience());  // nothing to restore on the first connection
        var subscribing = client.SubscribeAsync("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce, _ => ValueTask.CompletedTask, TestTransports.Patience());
        await first.SubAckAsync((await first.ExpectAsync(RawPacket.Subscribe)).PacketId, 1);
        await subscribing;
        await first.DisposeAsync();

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: false);
        var restore = await second.ExpectAsync(RawPacket.Subscribe);
        var restored = client.WaitSubscriptionsRestoredAsync(TestTransports.Patience());
        var request = client.PublishRequestAsync(
            "$aws/things/t/shadow/get", "{}"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, TestTransports.Patience());

        Assert.False(restored.IsCompleted, "the signal fired before the SUBACK");
        await second.SubAckAsync(restore.PacketId, 1);
        await restored;
        var published = await second.ExpectAsync(RawPacket.Publish);
        Assert.Equal("$aws/things/t/shadow/get", published.Topic);
        await second.PubAckAsync(published.PacketId);
        await request;
    }

    [Fact]
    public async Task Fires_at_once_when_the_broker_kept_the_session_and_a_request_goes_out_without_a_subscribe()
    {
        await using var broker = new FakeBroker();
        await using var client = TestTransports.Create(broker.ClientOptions(), output);
        await client.StartAsync(TestTransports.Patience());
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        var subscribing = client.SubscribeAsync("cmd/#", MqttQualityOfServiceLevel.AtLeastOnce, _ => ValueTask.CompletedTask, TestTransports.Patience());
        await first.SubAckAsync((await first.ExpectAsync(RawPacket.Subscribe)).PacketId, 1);
        await subscribing;
        await first.DisposeAsync();

        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: true);
        var request = client.PublishRequestAsync("req/a", "r"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, TestTransports.Patience());
        await client.WaitSubscriptionsRestoredAsync(TestTransports.Patience());

        // The first packet after CONNACK is the request: the kept subscription is not sent again.
        var next = await second.ReadAsync();
        Assert.Equal(RawPacket.Publish, next!.Type);
        Assert.Equal("r", Encoding.UTF8.GetString(next.Payload(second.Mqtt5)));
        await second.PubAckAsync(next.PacketId);
        await request;
    }

    [Fact]
    public async Task A_waiter_is_released_when_the_transport_stops()
    {
        await using var broker = new FakeBroker();
        var client = TestTransports.Create(broker.ClientOptions(), output);
        var waiting = client.WaitSubscriptionsRestoredAsync(TestTransports.Patience());

        await client.StopAsync(TestTransports.Patience());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await client.DisposeAsync();
    }
}
