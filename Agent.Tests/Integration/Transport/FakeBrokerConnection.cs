using System.Net.Security;
using System.Text;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>One MQTT control packet as the fake broker reads it off the wire: type, flags and body, nothing decoded.</summary>
public sealed record RawPacket(int Type, int Flags, byte[] Body)
{
    public const int Connect = 1, Publish = 3, PubAck = 4, Subscribe = 8, Unsubscribe = 10, PingReq = 12, Disconnect = 14;

    private int Qos => (Flags >> 1) & 3;

    /// <summary>PUBLISH: the topic name (empty when an MQTT 5 topic alias stands for it).</summary>
    public string Topic => Encoding.UTF8.GetString(Body, 2, (Body[0] << 8) | Body[1]);

    private int TopicEnd => 2 + ((Body[0] << 8) | Body[1]);

    /// <summary>PUBLISH QoS 1, SUBSCRIBE, UNSUBSCRIBE: the packet id.</summary>
    public int PacketId => Type == Publish ? (Body[TopicEnd] << 8) | Body[TopicEnd + 1] : (Body[0] << 8) | Body[1];

    public bool Dup => (Flags & 8) != 0;

    public bool Retain => (Flags & 1) != 0;

    /// <summary>PUBLISH: MQTT 5 properties (id → raw value bytes), empty for 3.1.1.</summary>
    public Dictionary<int, byte[]> Properties(bool mqtt5)
    {
        var result = new Dictionary<int, byte[]>();
        if (!mqtt5)
        {
            return result;
        }

        var at = TopicEnd + (Qos > 0 ? 2 : 0);
        var (length, used) = VarInt(Body, at);
        var end = at + used + length;
        for (var i = at + used; i < end;)
        {
            var id = Body[i++];
            var size = id switch { 0x23 => 2, 0x01 => 1, 0x02 => 4, _ => throw new NotSupportedException($"property 0x{id:X2}") };
            result[id] = Body[i..(i + size)];
            i += size;
        }

        return result;
    }

    /// <summary>PUBLISH: the payload.</summary>
    public byte[] Payload(bool mqtt5)
    {
        var at = TopicEnd + (Qos > 0 ? 2 : 0);
        if (mqtt5)
        {
            var (length, used) = VarInt(Body, at);
            at += used + length;
        }

        return Body[at..];
    }

    /// <summary>CONNECT: the protocol level (4 = 3.1.1, 5 = MQTT 5) and keep-alive.</summary>
    public int ProtocolLevel => Body[6];

    public int KeepAlive => (Body[8] << 8) | Body[9];

    /// <summary>SUBSCRIBE: the first topic filter.</summary>
    public string FirstFilter(bool mqtt5)
    {
        var at = 2;
        if (mqtt5)
        {
            var (length, used) = VarInt(Body, at);
            at += used + length;
        }

        return Encoding.UTF8.GetString(Body, at + 2, (Body[at] << 8) | Body[at + 1]);
    }

    public static (int Value, int Used) VarInt(byte[] bytes, int at)
    {
        var value = 0;
        var multiplier = 1;
        var i = at;
        while (true)
        {
            var b = bytes[i++];
            value += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0)
            {
                return (value, i - at);
            }
        }
    }

    public static byte[] Encode(int typeAndFlags, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        var header = new List<byte> { (byte)typeAndFlags };
        var n = body.Length;
        do
        {
            var b = (byte)(n % 128);
            n /= 128;
            header.Add(n > 0 ? (byte)(b | 0x80) : b);
        }
        while (n > 0);
        return [.. header, .. body];
    }
}

/// <summary>One client connection to <see cref="FakeBroker"/>: read the client's packets as raw frames, send any bytes back.</summary>
public sealed class FakeBrokerConnection(SslStream stream) : IAsyncDisposable
{
    private readonly byte[] _one = new byte[1];

    /// <summary>True once the client's CONNECT said MQTT 5.</summary>
    public bool Mqtt5 { get; private set; }

    /// <summary>Reads the next packet from the client; null when it closed the connection.</summary>
    public async Task<RawPacket?> ReadAsync(int timeoutSeconds = 30)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            if (!await ReadExactlyAsync(_one, cts.Token))
            {
                return null;
            }

            var first = _one[0];
            var length = 0;
            var multiplier = 1;
            while (true)
            {
                if (!await ReadExactlyAsync(_one, cts.Token))
                {
                    return null;
                }

                length += (_one[0] & 0x7F) * multiplier;
                multiplier *= 128;
                if ((_one[0] & 0x80) == 0)
                {
                    break;
                }
            }

            var body = new byte[length];
            if (!await ReadExactlyAsync(body, cts.Token))
            {
                return null;
            }

            var packet = new RawPacket(first >> 4, first & 0x0F, body);
            if (packet.Type == RawPacket.Connect)
            {
                Mqtt5 = packet.ProtocolLevel == 5;
            }

            return packet;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads packets until one of <paramref name="type"/> arrives (skipping e.g. PINGREQ).</summary>
    public async Task<RawPacket> ExpectAsync(int type, int timeoutSeconds = 30)
    {
        while (true)
        {
            var packet = await ReadAsync(timeoutSeconds)
                ?? throw new InvalidOperationException($"Client closed the connection while we waited for packet type {type}.");
            if (packet.Type == type)
            {
                return packet;
            }

            _ = packet;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    /// <summary>Reads CONNECT and answers CONNACK (MQTT 5 properties: Receive Maximum 0x21, Topic Alias Maximum 0x22).</summary>
    public async Task<RawPacket> AcceptConnectAsync(bool sessionPresent = false, byte code = 0, ushort receiveMaximum = 0, ushort topicAliasMaximum = 0)
    {
        var connect = await ExpectAsync(RawPacket.Connect);
        ArgumentNullException.ThrowIfNull(connect);
        if (Mqtt5)
        {
            var props = new List<byte>();
            if (receiveMaximum > 0)
            {
                props.AddRange([0x21, (byte)(receiveMaximum >> 8), (byte)receiveMaximum]);
            }

            if (topicAliasMaximum > 0)
            {
                props.AddRange([0x22, (byte)(topicAliasMaximum >> 8), (byte)topicAliasMaximum]);
            }

            await SendAsync(RawPacket.Encode(0x20, [sessionPresent ? (byte)1 : (byte)0, code, (byte)props.Count], [.. props]));
        }
        else
        {
            await SendAsync(RawPacket.Encode(0x20, [sessionPresent ? (byte)1 : (byte)0, code]));
        }

        return connect;
    }

    public Task PubAckAsync(int packetId, byte reason = 0) => SendAsync(Mqtt5 && reason != 0
        ? RawPacket.Encode(0x40, [(byte)(packetId >> 8), (byte)packetId, reason, 0])
        : RawPacket.Encode(0x40, [(byte)(packetId >> 8), (byte)packetId]));

    public Task SubAckAsync(int packetId, byte code) => SendAsync(Mqtt5
        ? RawPacket.Encode(0x90, [(byte)(packetId >> 8), (byte)packetId, 0, code])
        : RawPacket.Encode(0x90, [(byte)(packetId >> 8), (byte)packetId, code]));

    public Task PingRespAsync() => SendAsync(new byte[] { 0xD0, 0x00 });

    public Task PublishAsync(string topic, byte[] payload, int packetId)
    {
        var t = Encoding.UTF8.GetBytes(topic);
        return SendAsync(RawPacket.Encode(
            0x32, [(byte)(t.Length >> 8), (byte)t.Length], t, [(byte)(packetId >> 8), (byte)packetId], Mqtt5 ? [0] : [], payload));
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var at = 0;
        while (at < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(at), cancellationToken);
            if (read == 0)
            {
                return false;
            }

            at += read;
        }

        return true;
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
