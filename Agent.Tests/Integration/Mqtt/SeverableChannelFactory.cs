using System.Collections.Concurrent;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Channel;

namespace ShelfAgent.Tests.Integration.Mqtt;

/// <summary>
/// The real TLS channel factory with a "cable": <see cref="Sever"/> closes every open connection without a
/// DISCONNECT (like a network loss) and refuses new ones until <see cref="Reconnect"/>.
/// </summary>
public sealed class SeverableChannelFactory : IMqttChannelFactory
{
    private readonly TlsChannelFactory _inner = new(TimeProvider.System);
    private readonly ConcurrentDictionary<IMqttChannel, bool> _open = new();
    private volatile bool _severed;

    public async ValueTask<IMqttChannel> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
    {
        if (_severed)
        {
            throw new MqttTransportException(MqttTransportFailure.Unreachable, "cable cut (test)", null);
        }

        var channel = await _inner.ConnectAsync(options, cancellationToken);
        _open[channel] = true;
        return channel;
    }

    public async Task SeverAsync()
    {
        _severed = true;
        foreach (var channel in _open.Keys)
        {
            _open.TryRemove(channel, out _);
            await channel.DisposeAsync();
        }
    }

    public void Reconnect() => _severed = false;
}
