using System.Buffers.Binary;

namespace ShelfAgent.Mqtt.Formatter;

/// <summary>Reads the variable header and payload of one packet; every overrun is a <see cref="MqttProtocolException"/>.</summary>
internal ref struct MqttSpanReader(ReadOnlySpan<byte> span)
{
    private readonly ReadOnlySpan<byte> _span = span;
    private int _position;

    public readonly int Remaining => _span.Length - _position;

    public byte ReadByte()
    {
        Need(1);
        return _span[_position++];
    }

    public ushort ReadUInt16()
    {
        Need(2);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    /// <summary>A packet identifier: two bytes, never 0 (MQTT 3.1.1 §2.3.1-1).</summary>
    public ushort ReadPacketId()
    {
        var id = ReadUInt16();
        return id == 0 ? throw new MqttProtocolException("Packet identifier 0 is not allowed (MQTT 3.1.1 §2.3.1).") : id;
    }

    public string ReadString() => MqttUtf8.Decode(ReadPrefixed());

    /// <summary>A 2-byte length followed by that many bytes (§1.5.3 strings, §3.1.3.3 binary fields).</summary>
    public ReadOnlySpan<byte> ReadPrefixed()
    {
        var length = ReadUInt16();
        return ReadBytes(length);
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Need(count);
        var slice = _span.Slice(_position, count);
        _position += count;
        return slice;
    }

    public ReadOnlySpan<byte> ReadRest() => ReadBytes(Remaining);

    public readonly void EnsureEnd(string packet)
    {
        if (Remaining != 0)
        {
            throw new MqttProtocolException($"{packet} has {Remaining} unexpected trailing bytes.");
        }
    }

    private readonly void Need(int count)
    {
        if (count > Remaining)
        {
            throw new MqttProtocolException("Packet is shorter than its fields say (remaining length too small).");
        }
    }
}
