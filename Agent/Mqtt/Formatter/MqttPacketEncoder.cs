using System.Buffers;
using System.Buffers.Binary;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt.Formatter;

/// <summary>
/// Pure, allocation-free encoder of MQTT 3.1.1 packets into a caller's buffer. Invalid packets (bad strings,
/// packet id 0, oversize) are caller bugs and raise <see cref="ArgumentException"/> before anything is written.
/// </summary>
public static class MqttPacketEncoder
{
    /// <summary>Total encoded size of <paramref name="packet"/> (fixed header included).</summary>
    public static int GetSize(MqttPacket packet)
    {
        var body = GetBodySize(packet);
        return 1 + VariableByteInteger.GetSize(body) + body;
    }

    /// <summary>Encodes into <paramref name="writer"/> with one GetSpan/Advance; returns bytes written.</summary>
    public static int Encode(MqttPacket packet, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var body = GetBodySize(packet);
        var total = 1 + VariableByteInteger.GetSize(body) + body;
        var span = writer.GetSpan(total);
        Write(packet, body, span);
        writer.Advance(total);
        return total;
    }

    /// <summary>Encodes into <paramref name="destination"/>, which must hold <see cref="GetSize"/> bytes; returns bytes written.</summary>
    public static int Encode(MqttPacket packet, Span<byte> destination)
    {
        var body = GetBodySize(packet);
        var total = 1 + VariableByteInteger.GetSize(body) + body;
        if (destination.Length < total)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the packet needs {total}.", nameof(destination));
        }

        Write(packet, body, destination);
        return total;
    }

    private static int GetBodySize(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        long size = packet switch
        {
            ConnectPacket c => ConnectSize(c),
            ConnAckPacket => 2,
            PublishPacket p => PublishSize(p),
            PubAckPacket p => 2 + CheckId(p.PacketId),
            SubscribePacket s => SubscribeSize(s),
            SubAckPacket s => 2 + CheckId(s.PacketId) + NonEmpty(s.ReturnCodes.Count) + s.ReturnCodes.Count,
            UnsubscribePacket u => UnsubscribeSize(u),
            UnsubAckPacket u => 2 + CheckId(u.PacketId),
            PingReqPacket or PingRespPacket or DisconnectPacket => 0,
            _ => throw new ArgumentException($"Unknown packet {packet.GetType().Name}.", nameof(packet)),
        };
        if (size > VariableByteInteger.MaxValue)
        {
            throw new ArgumentException($"Packet body of {size} bytes exceeds the MQTT maximum of {VariableByteInteger.MaxValue} (§2.2.3).", nameof(packet));
        }

        return (int)size;
    }

    private static long ConnectSize(ConnectPacket c)
    {
        // Variable header: protocol name (6), level (1), flags (1), keep alive (2): §3.1.2.
        long size = 10 + MqttUtf8.GetSize(c.ClientId, nameof(c.ClientId));
        if (c.Will is { } will)
        {
            size += MqttUtf8.GetSize(will.Topic, "Will.Topic") + 2 + CheckBinary(will.Payload.Length, "Will.Payload");
            CheckQos(will.Qos);
        }

        if (c.Username is not null)
        {
            size += MqttUtf8.GetSize(c.Username, nameof(c.Username));
        }

        if (c.Password is { } password)
        {
            if (c.Username is null)
            {
                throw new ArgumentException("A password needs a user name (MQTT 3.1.1 §3.1.2.9).", nameof(c));
            }

            size += 2 + CheckBinary(password.Length, nameof(c.Password));
        }

        return size;
    }

    private static long PublishSize(PublishPacket p)
    {
        CheckQos(p.Qos);
        if (p.Dup && p.Qos == MqttQos.AtMostOnce)
        {
            throw new ArgumentException("DUP must be 0 for QoS 0 (MQTT 3.1.1 §3.3.1.1).", nameof(p));
        }

        long size = MqttUtf8.GetSize(p.Topic, nameof(p.Topic)) + p.Payload.Length;
        return p.Qos == MqttQos.AtMostOnce ? size : size + 2 + CheckId(p.PacketId);
    }

    private static long SubscribeSize(SubscribePacket s)
    {
        long size = 2 + CheckId(s.PacketId) + NonEmpty(s.Filters.Count);
        foreach (var f in s.Filters)
        {
            CheckQos(f.Qos);
            size += MqttUtf8.GetSize(f.Filter, nameof(s.Filters)) + 1;
        }

        return size;
    }

    private static long UnsubscribeSize(UnsubscribePacket u)
    {
        long size = 2 + CheckId(u.PacketId) + NonEmpty(u.Filters.Count);
        foreach (var f in u.Filters)
        {
            size += MqttUtf8.GetSize(f, nameof(u.Filters));
        }

        return size;
    }

    private static int CheckId(ushort id)
        => id == 0 ? throw new ArgumentException("Packet identifier must be 1..65535 (MQTT 3.1.1 §2.3.1).", nameof(id)) : 0;

    private static int NonEmpty(int count)
        => count == 0 ? throw new ArgumentException("At least one entry is required (MQTT 3.1.1 §3.8.3, §3.9.3, §3.10.3).", nameof(count)) : 0;

    private static int CheckBinary(int length, string name)
        => length > ushort.MaxValue ? throw new ArgumentException($"{name} is at most 65535 bytes (MQTT 3.1.1 §1.5.3).", name) : length;

    private static void CheckQos(MqttQos qos)
    {
        if ((byte)qos > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2 (MQTT 3.1.1 §4.3).");
        }
    }

    private static void Write(MqttPacket packet, int body, Span<byte> span)
    {
        span[0] = FixedHeader(packet);
        var pos = 1 + VariableByteInteger.Write(span[1..], body);
        switch (packet)
        {
            case ConnectPacket c:
                WriteConnect(c, span[pos..]);
                break;
            case ConnAckPacket a:
                span[pos] = a.SessionPresent ? (byte)1 : (byte)0;
                span[pos + 1] = (byte)a.ReturnCode;
                break;
            case PublishPacket p:
                pos += MqttUtf8.Write(span[pos..], p.Topic);
                if (p.Qos != MqttQos.AtMostOnce)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(span[pos..], p.PacketId);
                    pos += 2;
                }

                p.Payload.Span.CopyTo(span[pos..]);
                break;
            case PubAckPacket a:
                BinaryPrimitives.WriteUInt16BigEndian(span[pos..], a.PacketId);
                break;
            case SubscribePacket s:
                BinaryPrimitives.WriteUInt16BigEndian(span[pos..], s.PacketId);
                pos += 2;
                foreach (var f in s.Filters)
                {
                    pos += MqttUtf8.Write(span[pos..], f.Filter);
                    span[pos++] = (byte)f.Qos;
                }

                break;
            case SubAckPacket s:
                BinaryPrimitives.WriteUInt16BigEndian(span[pos..], s.PacketId);
                pos += 2;
                foreach (var code in s.ReturnCodes)
                {
                    span[pos++] = code;
                }

                break;
            case UnsubscribePacket u:
                BinaryPrimitives.WriteUInt16BigEndian(span[pos..], u.PacketId);
                pos += 2;
                foreach (var f in u.Filters)
                {
                    pos += MqttUtf8.Write(span[pos..], f);
                }

                break;
            case UnsubAckPacket u:
                BinaryPrimitives.WriteUInt16BigEndian(span[pos..], u.PacketId);
                break;
        }
    }

    /// <summary>Type nibble plus the flags of §2.2.2 (table 2.2); PUBLISH carries DUP/QoS/RETAIN (§3.3.1).</summary>
    private static byte FixedHeader(MqttPacket packet)
    {
        var type = (byte)((byte)packet.Type << 4);
        return packet switch
        {
            PublishPacket p => (byte)(type | (p.Dup ? 0x08 : 0) | ((byte)p.Qos << 1) | (p.Retain ? 0x01 : 0)),
            SubscribePacket or UnsubscribePacket => (byte)(type | 0x02),
            _ => type,
        };
    }

    private static void WriteConnect(ConnectPacket c, Span<byte> span)
    {
        var pos = MqttUtf8.Write(span, "MQTT");
        span[pos++] = 4; // protocol level 4 = MQTT 3.1.1 (§3.1.2.2)
        var flags = 0;
        if (c.CleanSession)
        {
            flags |= 0x02;
        }

        if (c.Will is { } will)
        {
            flags |= 0x04 | ((byte)will.Qos << 3) | (will.Retain ? 0x20 : 0);
        }

        if (c.Password is not null)
        {
            flags |= 0x40;
        }

        if (c.Username is not null)
        {
            flags |= 0x80;
        }

        span[pos++] = (byte)flags;
        BinaryPrimitives.WriteUInt16BigEndian(span[pos..], c.KeepAliveSeconds);
        pos += 2;
        pos += MqttUtf8.Write(span[pos..], c.ClientId);
        if (c.Will is { } w)
        {
            pos += MqttUtf8.Write(span[pos..], w.Topic);
            pos += WriteBinary(span[pos..], w.Payload.Span);
        }

        if (c.Username is not null)
        {
            pos += MqttUtf8.Write(span[pos..], c.Username);
        }

        if (c.Password is { } password)
        {
            WriteBinary(span[pos..], password.Span);
        }
    }

    private static int WriteBinary(Span<byte> span, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)data.Length);
        data.CopyTo(span[2..]);
        return data.Length + 2;
    }
}
