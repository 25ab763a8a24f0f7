using MQTTnet;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.IotCore;

/// <summary>
/// <see cref="IMqttSession"/> over the agent's <see cref="MqttTransport"/>. An adapter rather than an interface on the
/// transport: Transport sits below IotCore (docs/architecture.md, Architecture/LayeringTests) and must not name it.
/// </summary>
public sealed class MqttTransportSession(MqttTransport transport) : IMqttSession
{
    private readonly MqttTransport _transport = transport ?? throw new ArgumentNullException(nameof(transport));

    /// <inheritdoc />
    public Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(
        string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken)
        => _transport.SubscribeAsync(filter, qos, handler, cancellationToken);

    /// <inheritdoc />
    public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken) => _transport.UnsubscribeAsync(filter, cancellationToken);

    /// <inheritdoc />
    public Task PublishRequestAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => _transport.PublishRequestAsync(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
}
