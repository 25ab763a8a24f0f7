namespace ShelfAgent.Mqtt.Channel;

/// <summary>
/// Moves bytes to and from the broker, nothing else. Implementations translate socket/TLS/IO failures into
/// <see cref="MqttTransportException"/> / <see cref="MqttTlsException"/> (via <see cref="MqttExceptionTranslator"/>).
/// </summary>
public interface IMqttChannel : IAsyncDisposable
{
    /// <summary>Reads some bytes; 0 means the peer closed the connection.</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all bytes.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken);
}
