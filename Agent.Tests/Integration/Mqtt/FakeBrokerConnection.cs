using System.Buffers;
using System.Net.Security;
using ShelfAgent.Mqtt;
using ShelfAgent.Mqtt.Formatter;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Tests.Integration.Mqtt;

/// <summary>One client connection to <see cref="FakeBroker"/>: read the client's packets, send any bytes back.</summary>
public sealed class FakeBrokerConnection(SslStream stream) : IAsyncDisposable
{
    private readonly MqttPacketDecoder _decoder = new(1 << 20);
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _start;
    private int _end;

    /// <summary>Reads the next packet from the client; null when it closed the connection.</summary>
    public async Task<MqttPacket?> ReadAsync(int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            if (_decoder.TryDecode(_buffer.AsSpan(_start, _end - _start), out var packet, out var consumed))
            {
                _start += consumed;
                return packet;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            int read;
            try
            {
                read = await stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _end += read;
        }
    }

    /// <summary>Reads packets until one of type <typeparamref name="T"/> arrives (skipping e.g. PINGREQ).</summary>
    public async Task<T> ReadAsync<T>(int timeoutSeconds = 30)
        where T : MqttPacket
    {
        while (true)
        {
            var packet = await ReadAsync(timeoutSeconds) ?? throw new InvalidOperationException($"Client closed the connection while we waited for {typeof(T).Name}.");
            if (packet is T t)
            {
                return t;
            }
        }
    }

    public async Task SendAsync(MqttPacket packet)
    {
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(packet, writer);
        await SendAsync(writer.WrittenMemory);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    /// <summary>Reads CONNECT and answers CONNACK.</summary>
    public async Task<ConnectPacket> AcceptConnectAsync(bool sessionPresent = false, ConnectReturnCode code = ConnectReturnCode.Accepted)
    {
        var connect = await ReadAsync<ConnectPacket>();
        await SendAsync(new ConnAckPacket(sessionPresent, code));
        return connect;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (IOException)
        {
        }
    }
}
