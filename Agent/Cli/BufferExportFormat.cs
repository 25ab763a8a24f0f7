using System.Text.Json;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;

namespace ShelfAgent.Cli;

/// <summary>
/// The lines of <c>shelf-agent buffer export --format jsonl</c> (docs/buffer.md, "Field commands"): one JSON
/// object per line. A reading line has the fields of a <c>shelf.telemetry.v1</c> reading plus <c>"type":"reading"</c>;
/// an event line is <c>{"type":"event","id","kind","ts","payload"}</c> with the stored message inline: its fields as
/// data (a row written by outbox schema 1 shows the wire payload it stored).
/// </summary>
public static class BufferExportFormat
{
    /// <summary>Writes one reading as a JSON object (the caller adds the newline).</summary>
    public static void WriteReading(Utf8JsonWriter writer, StoredReading stored)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stored);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "reading"u8);
        WireFormat.WriteReadingFields(writer, stored);
        writer.WriteEndObject();
    }

    /// <summary>Writes one event or alert as a JSON object; a payload that is not valid JSON is kept as a string.</summary>
    public static void WriteEvent(Utf8JsonWriter writer, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(stored);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "event"u8);
        writer.WriteNumber("id"u8, stored.Id);
        writer.WriteString("kind"u8, OutboxEventKinds.Text(stored.Event.Kind));
        writer.WriteString("ts"u8, WireFormat.Timestamp(stored.Event.Timestamp));
        writer.WritePropertyName("payload"u8);
        if (stored.Event.Message is { } message)
        {
            // The message as the outbox keeps it (its fields as data); the wire payload is made only when it is published.
            writer.WriteRawValue(StoredMessage.Encode(message), skipInputValidation: true);
        }
        else if (IsJson(stored.Event.WirePayload!))
        {
            writer.WriteRawValue(stored.Event.WirePayload!, skipInputValidation: true);
        }
        else
        {
            writer.WriteStringValue(stored.Event.WirePayload);
        }

        writer.WriteEndObject();
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
