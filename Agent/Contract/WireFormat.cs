using System.Globalization;
using System.Text.Json;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Contract;

/// <summary>Formatting rules shared by every payload: UTC ISO-8601 with milliseconds, lower-case statuses.</summary>
public static class WireFormat
{
    /// <summary>e.g. <c>2026-11-22T05:20:00.123Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value)
        => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>ok | low | empty | fault.</summary>
    public static string Status(StockStatus status) => status switch
    {
        StockStatus.Ok => "ok",
        StockStatus.Low => "low",
        StockStatus.Empty => "empty",
        StockStatus.Fault => "fault",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The fields every telemetry batch starts with: schema, thing, store, sent and, when any, dropped.</summary>
    public static void WriteEnvelope(
        Utf8JsonWriter writer, string schema, TelemetryEnvelope envelope, DateTimeOffset sent, IReadOnlyDictionary<string, long>? dropped)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(envelope);
        writer.WriteString("schema"u8, schema);
        writer.WriteString("thing"u8, envelope.ThingName);
        writer.WriteString("store"u8, envelope.StoreId);
        writer.WriteString("sent"u8, Timestamp(sent));
        if (dropped is { Count: > 0 })
        {
            writer.WriteStartObject("dropped"u8);
            foreach (var (slot, count) in dropped.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(slot, count);
            }

            writer.WriteEndObject();
        }
    }

    /// <summary>The fields of one v1 reading (seq, ts, slot, sku, grams, count, status, reason), inside an object the caller opened.</summary>
    public static void WriteReadingFields(Utf8JsonWriter writer, StoredReading stored)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stored);
        writer.WriteNumber("seq"u8, stored.Seq);
        WriteReadingFields(writer, stored.Reading);
    }

    /// <summary>The fields of a reading without its seq (ts, slot, sku, grams, count, status, reason…): a raw sample is not numbered.</summary>
    public static void WriteReadingFields(Utf8JsonWriter writer, Reading r)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(r);
        writer.WriteString("ts"u8, Timestamp(r.Timestamp));
        writer.WriteString("slot"u8, r.Slot);
        writer.WriteString("sku"u8, r.Sku);
        if (r.Grams is { } grams)
        {
            writer.WriteNumber("grams"u8, grams);
        }
        else
        {
            writer.WriteNull("grams"u8);
        }

        if (r.Count is { } count)
        {
            writer.WriteNumber("count"u8, count);
        }
        else
        {
            writer.WriteNull("count"u8);
        }

        writer.WriteString("status"u8, Status(r.Status));
        if (r.Reason is not null)
        {
            writer.WriteString("reason"u8, r.Reason);
        }

        // Additive (issue 14, time floor): only when true, so a trusted reading looks as before.
        if (r.TimeUntrusted)
        {
            writer.WriteBoolean("timeUntrusted"u8, true);
        }

        // Additive (issue 21, per-minute summaries): only on a summary, so a plain sample looks as before.
        if (r.Summary is { } summary)
        {
            writer.WriteStartObject("summary"u8);
            writer.WriteNumber("n"u8, summary.Samples);
            WriteNumberOrNull(writer, "gramsMin"u8, summary.GramsMin);
            WriteNumberOrNull(writer, "gramsMax"u8, summary.GramsMax);
            writer.WriteNumber("faults"u8, summary.Faults);
            writer.WriteEndObject();
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
