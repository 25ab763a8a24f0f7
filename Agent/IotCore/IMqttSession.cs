using MQTTnet;
using MQTTnet.Protocol;

namespace ShelfAgent.IotCore;

/// <summary>
/// The part of <see cref="ShelfAgent.Transport.MqttTransport"/> (through <see cref="MqttTransportSession"/>) the fleet APIs (provisioning, shadow, jobs) need, so they
/// can be tested over a fake session and run over the agent's connection or a short-lived one (provisioning).
/// </summary>
public interface IMqttSession
{
    /// <summary>Subscribes; returns the granted QoS per filter, null where the broker refused.</summary>
    Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken);

    /// <summary>Removes a subscription.</summary>
    Task UnsubscribeAsync(string filter, CancellationToken cancellationToken);

    /// <summary>Publishes; QoS 1 completes at a successful PUBACK.</summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken);
}
