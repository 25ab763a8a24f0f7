using System.Text.Json;
using ShelfAgent.Stock;

namespace ShelfAgent.Contract;

/// <summary>Pure encoders of <c>shelf.event.v1</c> and <c>shelf.alert.v1</c> (docs/data-contract.md).</summary>
public static class StockMessageEncoder
{
    /// <summary>Schema name of pick/restock events.</summary>
    public const string EventSchema = "shelf.event.v1";

    /// <summary>Schema name of alerts.</summary>
    public const string AlertSchema = "shelf.alert.v1";

    /// <summary><c>{"schema":"shelf.event.v1","thing","store","ts","slot","sku","type":"pick","delta":-2,"count":9}</c>.</summary>
    public static byte[] Encode(TelemetryEnvelope envelope, StockEvent e)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(e);
        return Write(writer =>
        {
            Header(writer, EventSchema, envelope, e.Timestamp, e.Slot, e.Sku);
            writer.WriteString("type"u8, e.Type == StockEventType.Pick ? "pick" : "restock");
            writer.WriteNumber("delta"u8, e.Delta);
            writer.WriteNumber("count"u8, e.Count);
        });
    }

    /// <summary>
    /// <c>{"schema":"shelf.alert.v1","thing","store","ts","slot","sku","type":"empty","count":0}</c> (+ <c>reason</c> for
    /// faults and <c>predicted-empty-cleared</c>; + <c>expectedEmpty</c>, <c>probability</c>, <c>ratePerHour</c>,
    /// <c>horizonMinutes</c> for <c>predicted-empty</c>).
    /// </summary>
    public static byte[] Encode(TelemetryEnvelope envelope, StockAlert a)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(a);
        return Write(writer =>
        {
            Header(writer, AlertSchema, envelope, a.Timestamp, a.Slot, a.Sku);
            writer.WriteString("type"u8, a.Type switch
            {
                StockAlertType.Low => "low",
                StockAlertType.Empty => "empty",
                StockAlertType.Fault => "fault",
                StockAlertType.Recovered => "recovered",
                StockAlertType.PredictedEmpty => "predicted-empty",
                StockAlertType.PredictedEmptyCleared => "predicted-empty-cleared",
                _ => throw new ArgumentOutOfRangeException(nameof(a), a.Type, null),
            });
            if (a.Count is { } count)
            {
                writer.WriteNumber("count"u8, count);
            }
            else
            {
                writer.WriteNull("count"u8);
            }

            if (a.Reason is not null)
            {
                writer.WriteString("reason"u8, a.Reason);
            }

            if (a.Type == StockAlertType.PredictedEmpty)
            {
                writer.WriteString("expectedEmpty"u8, WireFormat.Timestamp(a.ExpectedEmpty ?? a.Timestamp));
                writer.WriteNumber("probability"u8, Math.Round(a.Probability ?? 0, 4));
                writer.WriteNumber("ratePerHour"u8, Math.Round(a.RatePerHour ?? 0, 3));
                writer.WriteNumber("horizonMinutes"u8, a.HorizonMinutes ?? 0);
            }
        });
    }

    /// <summary>Writes the fields every event and alert starts with (also used by <see cref="ForecastMessageEncoder"/>).</summary>
    internal static void Header(Utf8JsonWriter writer, string schema, TelemetryEnvelope envelope, DateTimeOffset ts, string slot, string sku)
    {
        writer.WriteString("schema"u8, schema);
        writer.WriteString("thing"u8, envelope.ThingName);
        writer.WriteString("store"u8, envelope.StoreId);
        writer.WriteString("ts"u8, WireFormat.Timestamp(ts));
        writer.WriteString("slot"u8, slot);
        writer.WriteString("sku"u8, sku);
    }

    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream(256);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
