using System.Diagnostics;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Channel;

namespace ShelfAgent.Tests.Integration.Mqtt;

/// <summary>
/// Wraps a real channel factory and records, for every write the client makes, when it happened and the PUBLISH
/// packets in it (by the MQTT fixed header, §2.2): the bytes as they enter the TLS socket.
/// </summary>
public sealed class RecordingChannelFactory(IMqttChannelFactory inner) : IMqttChannelFactory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, int PublishBytes, int Publishes)> _writes = [];

    /// <summary>Writes that carried at least one PUBLISH, in order.</summary>
    public List<(TimeSpan At, int PublishBytes, int Publishes)> PublishWrites
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    public async ValueTask<IMqttChannel> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken)
        => new Recording(await inner.ConnectAsync(options, cancellationToken), this);

    private void Record(ReadOnlySpan<byte> buffer)
    {
        var at = _clock.Elapsed;
        int bytes = 0, count = 0;
        while (buffer.Length >= 2)
        {
            int length = 0, shift = 0, i = 1;
            byte b;
            do
            {
                b = buffer[i++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);

            var size = i + length;
            if ((buffer[0] >> 4) == 3)
            {
                bytes += size;
                count++;
            }

            buffer = buffer[Math.Min(size, buffer.Length)..];
        }

        if (count > 0)
        {
            lock (_writes)
            {
                _writes.Add((at, bytes, count));
            }
        }
    }

    private sealed class Recording(IMqttChannel channel, RecordingChannelFactory owner) : IMqttChannel
    {
        public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => channel.ReadAsync(buffer, cancellationToken);

        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            owner.Record(buffer.Span);
            return channel.WriteAsync(buffer, cancellationToken);
        }

        public ValueTask DisposeAsync() => channel.DisposeAsync();
    }
}
