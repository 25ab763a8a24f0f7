using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.IotCore;

/// <summary>
/// <see cref="IIotConnector"/> over <see cref="MqttTransport"/>: the endpoint settings (host, port, CA, ALPN, protocol,
/// limits) come from <paramref name="endpoint"/>, the identity from the caller; clean session and no will, because these
/// connections only ask the fleet APIs or prove that an identity is accepted.
/// </summary>
public sealed class MqttIotConnector(Func<IotIdentity, MqttTransportOptions> endpoint, TimeProvider time, ILoggerFactory logs) : IIotConnector
{
    /// <inheritdoc />
    public async Task<IIotConnection> ConnectAsync(IotIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var options = endpoint(identity);
        options.CertFile = identity.CertFile;
        options.KeyFile = identity.KeyFile;
        options.ClientId = identity.ClientId;
        options.CleanSession = true;
        options.SessionExpirySeconds = 0;
        options.Will = null;
        options.AliasedTopics = [];
        var transport = new MqttTransport(options, time, logs.CreateLogger<MqttTransport>());
        try
        {
            await transport.ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
            return new Connection(transport);
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Connection(MqttTransport transport) : IIotConnection
    {
        private readonly MqttTransportSession _session = new(transport);

        public Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(
            string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken)
            => _session.SubscribeAsync(filter, qos, handler, cancellationToken);

        public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken) => _session.UnsubscribeAsync(filter, cancellationToken);

        public Task PublishRequestAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
            => _session.PublishRequestAsync(topic, payload, cancellationToken);

        public ValueTask DisposeAsync() => transport.DisposeAsync();
    }
}
