using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>The one in-flight window: the transport's, which the publishing loop waits on before it leases a batch.</summary>
public sealed class InFlightWindowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task There_is_room_for_a_publish_only_while_fewer_than_the_window_are_under_way()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.MaxInFlight = 5;
        await using var client = TestTransports.Create(options, output);
        await client.StartAsync(TestTransports.Patience());
        var connection = await broker.AcceptAsync();
        await connection.AcceptConnectAsync(receiveMaximum: 2);   // the broker's Receive Maximum bounds the window further
        await client.WaitConnectedAsync(TestTransports.Patience());
        await client.WaitForSendRoomAsync(0, TestTransports.Patience());

        var first = client.PublishAsync("t/a", "1"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
        var second = client.PublishAsync("t/a", "2"u8.ToArray(), MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience());
        var one = await connection.ExpectAsync(RawPacket.Publish);
        await connection.ExpectAsync(RawPacket.Publish);
        var room = client.WaitForSendRoomAsync(0, TestTransports.Patience());

        Assert.Equal(2, client.WindowSize);
        Assert.False(room.IsCompleted, "room reported while the whole window awaits its PUBACKs");
        await connection.PubAckAsync(one.PacketId);
        await first;
        await room;
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public async Task Publishes_waiting_for_a_connection_fill_the_window_too()
    {
        await using var broker = new FakeBroker();
        var options = broker.ClientOptions();
        options.MaxInFlight = 2;
        await using var client = TestTransports.Create(options, output);
        var waiting = Enumerable.Range(0, 2)
            .Select(i => client.PublishAsync("t/a", new[] { (byte)i }, MqttQualityOfServiceLevel.AtLeastOnce, false, TestTransports.Patience()))
            .ToList();
        var room = client.WaitForSendRoomAsync(0, TestTransports.Patience());

        Assert.False(room.IsCompleted, "room reported while Mqtt:MaxInFlight publishes wait for a connection");
        await client.StartAsync(TestTransports.Patience());
        var connection = await broker.AcceptAsync();
        await connection.AcceptConnectAsync();
        foreach (var _ in waiting)
        {
            await connection.PubAckAsync((await connection.ExpectAsync(RawPacket.Publish)).PacketId);
        }

        await Task.WhenAll(waiting);
        await room;
    }
}
