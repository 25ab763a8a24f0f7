using System.Buffers;
using System.Text.Json;
using ShelfAgent.Contract;
using ShelfAgent.Stock;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// The file <c>upload-readings</c> PUTs (docs/jobs.md): newline-delimited JSON. The first line says what the file holds
/// (<c>{"schema":"shelf.raw-readings.v1","thing","store","from","to","slots","deadbandGrams","readings"}</c>); each further line
/// is one raw sample with the fields of a <c>shelf.telemetry.v1</c> reading but <c>seq</c> (raw samples are never published,
/// so they have none): <c>ts, slot, sku, grams, count, status</c>, and <c>reason</c>/<c>timeUntrusted</c> when set. Pure.
/// </summary>
public static class RawReadingsFile
{
    /// <summary>The schema id on the first line.</summary>
    public const string Schema = "shelf.raw-readings.v1";

    /// <summary>The content type of the PUT.</summary>
    public const string ContentType = "application/x-ndjson";

    /// <summary>Encodes the file.</summary>
    public static byte[] Encode(TelemetryEnvelope envelope, UploadReadingsJob job, double deadbandGrams, IReadOnlyList<Reading> readings)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(readings);
        var output = new ArrayBufferWriter<byte>(256 + readings.Count * 96);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("schema"u8, Schema);
            w.WriteString("thing"u8, envelope.ThingName);
            w.WriteString("store"u8, envelope.StoreId);
            w.WriteString("from"u8, WireFormat.Timestamp(job.From));
            w.WriteString("to"u8, WireFormat.Timestamp(job.To));
            w.WriteStartArray("slots"u8);
            foreach (var slot in job.Slots)
            {
                w.WriteStringValue(slot);
            }

            w.WriteEndArray();
            w.WriteNumber("deadbandGrams"u8, deadbandGrams);
            w.WriteNumber("readings"u8, readings.Count);
            w.WriteEndObject();
        }

        foreach (var reading in readings)
        {
            output.Write("\n"u8);
            using var w = new Utf8JsonWriter(output);
            w.WriteStartObject();
            WireFormat.WriteReadingFields(w, reading);
            w.WriteEndObject();
        }

        output.Write("\n"u8);
        return output.WrittenSpan.ToArray();
    }
}
