using System.Buffers;
using System.Text.Json;
using ShelfAgent.Outbox;

namespace ShelfAgent.Contract;

/// <summary>
/// Pure encoder of <c>shelf.telemetry.v1</c> (docs/data-contract.md): a batch of readings as one JSON
/// object. Packs as many readings as fit in a byte budget, so a batch never exceeds AWS IoT's payload limit.
/// </summary>
public static class TelemetryV1Encoder
{
    /// <summary>The schema name in every payload.</summary>
    public const string Schema = "shelf.telemetry.v1";

    // Room kept for the closing "]}" so a reading is only written when the whole payload will still fit.
    private const int ClosingBytes = 2;

    /// <summary>
    /// Encodes the first readings that fit in <paramref name="maxBytes"/> (always at least one) and
    /// returns how many it took; the caller sends the rest in a later batch.
    /// </summary>
    public static int Encode(
        IBufferWriter<byte> output,
        TelemetryEnvelope envelope,
        DateTimeOffset sent,
        IReadOnlyList<StoredReading> readings,
        IReadOnlyDictionary<string, long>? dropped,
        int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfZero(readings.Count);
        var scratch = new ArrayBufferWriter<byte>(Math.Min(maxBytes, 64 * 1024));
        using var writer = new Utf8JsonWriter(scratch);
        writer.WriteStartObject();
        WireFormat.WriteEnvelope(writer, Schema, envelope, sent, dropped);
        writer.WriteStartArray("readings"u8);
        writer.Flush();
        var taken = 0;
        var committed = scratch.WrittenCount;
        foreach (var stored in readings)
        {
            WriteReading(writer, stored);
            writer.Flush();
            if (taken > 0 && scratch.WrittenCount + ClosingBytes > maxBytes)
            {
                break;
            }

            committed = scratch.WrittenCount;
            taken++;
        }

        // Copy what fits, then close the array and object by hand: the writer's state is past the cut.
        output.Write(scratch.WrittenSpan[..committed]);
        output.Write("]}"u8);
        return taken;
    }

    /// <summary>Encodes all readings into a new array (tests, tools).</summary>
    public static byte[] Encode(
        TelemetryEnvelope envelope, DateTimeOffset sent, IReadOnlyList<StoredReading> readings, IReadOnlyDictionary<string, long>? dropped = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(buffer, envelope, sent, readings, dropped, int.MaxValue);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteReading(Utf8JsonWriter writer, StoredReading stored)
    {
        writer.WriteStartObject();
        WireFormat.WriteReadingFields(writer, stored);
        writer.WriteEndObject();
    }
}
