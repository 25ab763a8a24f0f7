using System.Buffers.Binary;
using System.Text;

namespace ShelfAgent.Mqtt.Formatter;

/// <summary>
/// UTF-8 encoded strings (MQTT 3.1.1 §1.5.3): a 2-byte big-endian length, then at most 65,535 bytes of
/// well-formed UTF-8 with no U+D800..U+DFFF (§1.5.3-1) and no U+0000 (§1.5.3-2). A BOM is kept as U+FEFF (§1.5.3-3).
/// </summary>
public static class MqttUtf8
{
    /// <summary>Largest encoded length of one string.</summary>
    public const int MaxBytes = 65_535;

    // Throws on lone surrogates when encoding and on ill-formed input when decoding; no BOM emitted.
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encoded size including the 2-byte length prefix; throws <see cref="ArgumentException"/> for strings §1.5.3 forbids.</summary>
    public static int GetSize(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("MQTT strings must not contain U+0000 (MQTT 3.1.1 §1.5.3).", paramName);
        }

        int count;
        try
        {
            count = s_strict.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("MQTT strings must be well-formed UTF-16 without lone surrogates (MQTT 3.1.1 §1.5.3).", paramName, e);
        }

        if (count > MaxBytes)
        {
            throw new ArgumentException($"MQTT strings are at most {MaxBytes} UTF-8 bytes; this one has {count} (MQTT 3.1.1 §1.5.3).", paramName);
        }

        return count + 2;
    }

    /// <summary>Writes the length prefix and bytes of an already validated string; returns bytes written.</summary>
    public static int Write(Span<byte> destination, string value)
    {
        var count = s_strict.GetBytes(value, destination[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)count);
        return count + 2;
    }

    /// <summary>Decodes <paramref name="bytes"/> (without prefix), throwing <see cref="MqttProtocolException"/> for anything §1.5.3 forbids.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Contains((byte)0))
        {
            // MQTT 3.1.1 §1.5.3-2: a receiver closes the connection on U+0000.
            throw new MqttProtocolException("String contains U+0000 (MQTT 3.1.1 §1.5.3).");
        }

        try
        {
            // The strict decoder rejects ill-formed UTF-8 including encoded surrogates (§1.5.3-1).
            return s_strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new MqttProtocolException("String is not well-formed UTF-8 (MQTT 3.1.1 §1.5.3).", e);
        }
    }
}
