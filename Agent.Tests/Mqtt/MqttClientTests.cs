using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Mqtt;

namespace ShelfAgent.Tests.Mqtt;

/// <summary>Caller mistakes the client rejects before anything reaches the network.</summary>
public sealed class MqttClientTests
{
    private static MqttClient Client(string host = "broker.local") =>
        new(new MqttClientOptions { Host = host, ClientId = "shelf-1", KeepAliveSeconds = 60 }, TimeProvider.System, NullLogger<MqttClient>.Instance);

    [Fact]
    public async Task Publish_refuses_qos2_with_a_clear_error()
    {
        await using var client = Client();
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.PublishAsync("a/b", new byte[1], MqttQos.ExactlyOnce, false, default));
        Assert.Contains("QoS 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_refuses_a_payload_over_128_kb()
    {
        await using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync("a/b", new byte[131_073], MqttQos.AtLeastOnce, false, default));
    }

    [Fact]
    public async Task Publish_refuses_wildcards_in_topic_names()
    {
        await using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync("a/+/b", new byte[1], MqttQos.AtMostOnce, false, default));
    }

    [Fact]
    public async Task Publish_to_a_reserved_topic_is_refused_for_aws_endpoints_only()
    {
        await using var aws = Client("x-ats.iot.eu-west-1.amazonaws.com");
        await Assert.ThrowsAsync<ArgumentException>(() => aws.PublishAsync("$SYS/x", new byte[1], MqttQos.AtLeastOnce, false, default));
        await Assert.ThrowsAsync<ArgumentException>(() => aws.PublishAsync("a/b/c/d/e/f/g/h/i", new byte[1], MqttQos.AtLeastOnce, false, default));
    }

    [Fact]
    public void Construction_lists_every_invalid_option()
    {
        var e = Assert.Throws<ArgumentException>(() => new MqttClient(new MqttClientOptions { Host = "", Port = -1 }, TimeProvider.System, NullLogger<MqttClient>.Instance));
        Assert.Contains("Mqtt:Host", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_releases_whoever_waits_for_a_connection()
    {
        var client = Client();
        var waiting = client.WaitConnectedAsync(default);
        var qos0 = client.PublishAsync("a/b", new byte[1], MqttQos.AtMostOnce, false, default);

        await client.StopAsync(default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => qos0);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Stop_fails_qos1_publishes_still_waiting_for_puback_so_the_outbox_keeps_them()
    {
        var client = Client();
        var pending = client.PublishAsync("a/b", new byte[1], MqttQos.AtLeastOnce, false, default);
        Assert.Equal(1, client.InFlightCount);

        await client.StopAsync(default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(0, client.InFlightCount);
        await client.DisposeAsync();
    }
}
