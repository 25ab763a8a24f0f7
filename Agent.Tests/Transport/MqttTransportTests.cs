using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

/// <summary>Caller mistakes the transport rejects before anything reaches the network, and stopping while offline.</summary>
public sealed class MqttTransportTests
{
    private static MqttTransport Client(string host = "broker.local") =>
        new(new MqttTransportOptions { Host = host, ClientId = "shelf-1", KeepAliveSeconds = 60 }, TimeProvider.System, NullLogger<MqttTransport>.Instance);

    [Fact]
    public async Task Publish_refuses_qos2_with_a_clear_error()
    {
        await using var client = Client();
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => client.PublishAsync("a/b", new byte[1], MqttQualityOfServiceLevel.ExactlyOnce, false, default));
        Assert.Contains("QoS 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_refuses_a_payload_over_128_kb()
    {
        await using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync("a/b", new byte[131_073], MqttQualityOfServiceLevel.AtLeastOnce, false, default));
    }

    [Fact]
    public async Task Publish_refuses_wildcards_in_topic_names()
    {
        await using var client = Client();
        await Assert.ThrowsAsync<ArgumentException>(() => client.PublishAsync("a/+/b", new byte[1], MqttQualityOfServiceLevel.AtMostOnce, false, default));
    }

    [Fact]
    public async Task Publish_to_a_reserved_topic_is_refused_for_aws_endpoints_only()
    {
        await using var aws = Client("x-ats.iot.eu-west-1.amazonaws.com");
        await Assert.ThrowsAsync<ArgumentException>(() => aws.PublishAsync("$SYS/x", new byte[1], MqttQualityOfServiceLevel.AtLeastOnce, false, default));
        await Assert.ThrowsAsync<ArgumentException>(
            () => aws.PublishAsync("a/b/c/d/e/f/g/h/i", new byte[1], MqttQualityOfServiceLevel.AtLeastOnce, false, default));
    }

    [Fact]
    public void Construction_lists_every_invalid_option()
    {
        var e = Assert.Throws<ArgumentException>(
            () => new MqttTransport(new MqttTransportOptions { Host = "", Port = -1 }, TimeProvider.System, NullLogger<MqttTransport>.Instance));
        Assert.Contains("Mqtt:Host", e.Message, StringComparison.Ordinal);
        Assert.Contains("Mqtt:Port", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_releases_whoever_waits_for_a_connection()
    {
        var client = Client();
        var waiting = client.WaitConnectedAsync(default);
        var qos0 = client.PublishAsync("a/b", new byte[1], MqttQualityOfServiceLevel.AtMostOnce, false, default);

        await client.StopAsync(default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => qos0);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Stop_fails_qos1_publishes_waiting_for_a_connection_so_the_outbox_keeps_them()
    {
        var client = Client();
        var pending = client.PublishAsync("a/b", new byte[1], MqttQualityOfServiceLevel.AtLeastOnce, false, default);
        Assert.False(pending.IsCompleted);

        await client.StopAsync(default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        Assert.Equal(0, client.InFlightCount);
        await client.DisposeAsync();
    }
}
