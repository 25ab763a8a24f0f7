namespace ShelfAgent.Mqtt.Formatter;

/// <summary>The "Remaining Length" variable-length integer (MQTT 3.1.1 §2.2.3): 7 bits per byte, at most 4 bytes.</summary>
public static class VariableByteInteger
{
    /// <summary>Largest value that fits in four bytes: 268,435,455 (§2.2.3, table 2.4).</summary>
    public const int MaxValue = 268_435_455;

    /// <summary>Bytes needed to encode <paramref name="value"/>.</summary>
    public static int GetSize(int value) => value switch
    {
        < 0 or > MaxValue => throw new ArgumentOutOfRangeException(nameof(value), value, "Remaining length must be 0..268435455 (MQTT 3.1.1 §2.2.3)."),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = GetSize(value);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = i < size - 1 ? (byte)(digit | 0x80) : digit;
        }

        return size;
    }

    /// <summary>
    /// Reads a value. Returns false when <paramref name="source"/> ends before the last byte (need more data);
    /// throws <see cref="MqttProtocolException"/> when a fifth byte would be needed (§2.2.3).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        value = 0;
        var shift = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= source.Length)
            {
                consumed = 0;
                value = 0;
                return false;
            }

            var b = source[i];
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                // A non-minimal encoding (e.g. 0x80 0x00) is tolerated: the spec defines the value, not minimality.
                consumed = i + 1;
                return true;
            }

            shift += 7;
        }

        throw new MqttProtocolException("Malformed remaining length: more than 4 bytes (MQTT 3.1.1 §2.2.3).");
    }
}
