using System.Net.Sockets;

namespace ShelfAgent.Mqtt.Channel;

/// <summary>A channel over a connected stream (normally an SslStream over a socket); translates failures.</summary>
public sealed class StreamChannel : IMqttChannel
{
    private readonly Stream _stream;
    private readonly Socket? _socket;
    private readonly string _host;
    private readonly int _port;

    /// <summary>Wraps a connected stream; <paramref name="socket"/> is closed with it.</summary>
    public StreamChannel(Stream stream, Socket? socket, string host, int port)
    {
        _stream = stream;
        _socket = socket;
        _host = host;
        _port = port;
    }

    /// <inheritdoc />
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await _stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw MqttExceptionTranslator.Translate(e, _host, _port);
        }
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw MqttExceptionTranslator.Translate(e, _host, _port);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Closing a broken connection: nothing to tell.
        }

        _socket?.Dispose();
    }
}
