using System.Diagnostics.CodeAnalysis;
using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt.Formatter;

/// <summary>
/// Incremental, pure decoder of MQTT 3.1.1 packets. Works on whatever bytes have arrived: when the buffer
/// does not yet hold a whole packet it answers "need more". It throws only <see cref="MqttProtocolException"/>,
/// and refuses, before reading or allocating anything more, a packet longer than <see cref="MaxPacketBytes"/>.
/// </summary>
public sealed class MqttPacketDecoder
{
    /// <summary>Default limit for one incoming packet: 256 KB (config Mqtt:MaxIncomingPacketBytes).</summary>
    public const int DefaultMaxPacketBytes = 262_144;

    /// <summary>Creates a decoder that refuses packets longer than <paramref name="maxPacketBytes"/> (fixed header included).</summary>
    public MqttPacketDecoder(int maxPacketBytes = DefaultMaxPacketBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketBytes, 2);
        MaxPacketBytes = maxPacketBytes;
    }

    /// <summary>Largest whole packet accepted, fixed header included.</summary>
    public int MaxPacketBytes { get; }

    /// <summary>
    /// Reads the fixed header. True with the whole packet's length when the header is complete; false when more
    /// bytes are needed to know it. Throws for a reserved type, bad flags (§2.2.2) or a packet over the limit.
    /// </summary>
    public bool TryGetPacketLength(ReadOnlySpan<byte> buffer, out int packetLength)
        => TryReadFixedHeader(buffer, out packetLength, out _);

    /// <summary>
    /// Decodes one packet from the start of <paramref name="buffer"/>. Returns false (consumed = 0) when the
    /// buffer holds only part of it. Payloads are copied, so the buffer may be reused afterwards.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> buffer, [NotNullWhen(true)] out MqttPacket? packet, out int consumed)
    {
        packet = null;
        consumed = 0;
        if (!TryReadFixedHeader(buffer, out var length, out var headerSize) || buffer.Length < length)
        {
            return false;
        }

        var reader = new MqttSpanReader(buffer[headerSize..length]);
        packet = MqttPacketBodyDecoder.Decode(buffer[0], ref reader);
        consumed = length;
        return true;
    }

    private bool TryReadFixedHeader(ReadOnlySpan<byte> buffer, out int packetLength, out int headerSize)
    {
        packetLength = 0;
        headerSize = 0;
        if (buffer.IsEmpty)
        {
            return false;
        }

        CheckFlags(buffer[0]);
        if (!VariableByteInteger.TryRead(buffer[1..], out var remaining, out var lengthBytes))
        {
            return false;
        }

        var total = 1L + lengthBytes + remaining;
        if (total > MaxPacketBytes)
        {
            throw new MqttProtocolException($"Packet of {total} bytes exceeds the limit of {MaxPacketBytes} bytes (Mqtt:MaxIncomingPacketBytes).");
        }

        packetLength = (int)total;
        headerSize = 1 + lengthBytes;
        return true;
    }

    /// <summary>Fixed header flags (MQTT 3.1.1 §2.2.2, table 2.2): anything else is malformed (§2.2.2-2).</summary>
    private static void CheckFlags(byte header)
    {
        var type = (MqttPacketType)(header >> 4);
        var flags = header & 0x0F;
        var expected = type switch
        {
            MqttPacketType.Publish => flags, // DUP, QoS, RETAIN checked when decoding (§3.3.1)
            MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe => 0b0010,
            >= MqttPacketType.Connect and <= MqttPacketType.Disconnect => 0,
            _ => throw new MqttProtocolException($"Reserved packet type {header >> 4} (MQTT 3.1.1 §2.2.1)."),
        };
        if (flags != expected)
        {
            throw new MqttProtocolException($"Invalid fixed-header flags 0x{flags:X} for {type} (MQTT 3.1.1 §2.2.2).");
        }
    }
}
