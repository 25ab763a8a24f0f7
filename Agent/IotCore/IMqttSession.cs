using MQTTnet;
using MQTTnet.Protocol;

namespace ShelfAgent.IotCore;

/// <summary>
/// The part of <see cref="ShelfAgent.Transport.MqttTransport"/> (through <see cref="MqttTransportSession"/>) the fleet APIs
/// (provisioning, shadow, jobs) need, so they can be tested over a fake session and run over the agent's connection or a
/// short-lived one (provisioning).
/// </summary>
public interface IMqttSession
{
    /// <summary>Subscribes; returns the granted QoS per filter, null where the broker refused.</summary>
    Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(
        string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken);

    /// <summary>Removes a subscription.</summary>
    Task UnsubscribeAsync(string filter, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes a request at QoS 1, not retained, completing at a successful PUBACK. It goes out only once every
    /// subscription of the session is in place on the connection it is sent on (after a reconnect that lost the
    /// session: made again and acknowledged), so its reply is never routed to nobody.
    /// </summary>
    Task PublishRequestAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
