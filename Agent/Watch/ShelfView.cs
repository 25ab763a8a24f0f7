using System.Globalization;
using System.Text;
using System.Text.Json;
using ShelfAgent.Contract;

namespace ShelfAgent.Watch;

/// <summary>
/// What <c>shelf-agent watch</c> shows, built from the device's MQTT messages: one row per slot (count,
/// status, last event) and a line per event, alert and status change. Pure: messages in, state and lines
/// out. Topics it does not know (a forecast topic, a newer type) are counted and otherwise ignored; alert
/// types it does not know are shown with their fields, so a newer agent's alerts still read.
/// </summary>
public sealed class ShelfView
{
    private static readonly HashSet<string> HeaderFields = new(StringComparer.Ordinal) { "schema", "thing", "store", "ts", "slot", "sku", "type", "count", "reason" };

    private static readonly string[] Headings = ["SLOT", "SKU", "COUNT", "GRAMS", "STATUS", "LAST EVENT", "AT"];

    private readonly SortedDictionary<string, SlotRow> _slots = new(StringComparer.Ordinal);
    private readonly HashSet<string> _things = new(StringComparer.Ordinal);

    /// <summary>Messages on topics the view does not show (counted, not printed).</summary>
    public int Ignored { get; private set; }

    /// <summary>Telemetry messages read.</summary>
    public int TelemetryMessages { get; private set; }

    /// <summary>Rows, by thing and slot.</summary>
    public IReadOnlyCollection<SlotRow> Slots => _slots.Values;

    /// <summary>Takes one <c>mosquitto_sub -v</c> line (topic, a space, the payload); returns the lines to print.</summary>
    public IReadOnlyList<string> ApplyLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return space <= 0 ? [] : Apply(line[..space], line[(space + 1)..]);
    }

    /// <summary>Takes one message; returns the lines to print (events, alerts, status, unreadable payloads).</summary>
    public IReadOnlyList<string> Apply(string topic, string payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(payload);

        // dt/shelf/{store}/{thing}/{type}
        var parts = topic.Split('/');
        if (parts.Length != 5 || parts[0] != "dt" || parts[1] != "shelf")
        {
            Ignored++;
            return [];
        }

        var thing = parts[3];
        try
        {
            switch (parts[4])
            {
                case "telemetry":
                    Telemetry(thing, payload);
                    return [];
                case "events":
                    return [Event(thing, payload)];
                case "alerts":
                    return [Alert(thing, payload)];
                case "status":
                    return [Status(thing, payload)];
                default:
                    Ignored++;
                    return [];
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return [$"{Clock(null)}  ?      {thing}: cannot read a message on {topic}: {e.Message}"];
        }
    }

    /// <summary>The table: one line per slot, columns aligned.</summary>
    public string RenderTable()
    {
        var many = _things.Count > 1;
        var rows = new List<string[]> { Headings };
        rows.AddRange(_slots.Values.Select(s => new[]
        {
            many ? $"{s.Thing}/{s.Slot}" : s.Slot,
            s.Sku,
            s.Count?.ToString(CultureInfo.InvariantCulture) ?? "-",
            s.Grams?.ToString("0", CultureInfo.InvariantCulture) ?? "-",
            s.Status + (s.Reason is null ? "" : $" ({s.Reason})"),
            s.LastEvent ?? "",
            s.UpdatedAt is { } at ? Clock(at) : "",
        }));
        var widths = Enumerable.Range(0, 6).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            text.AppendJoin("  ", r.Take(6).Select((cell, i) => cell.PadRight(widths[i]))).Append("  ").Append(r[6]).AppendLine();
        }

        return text.ToString();
    }

    private void Telemetry(string thing, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        using var doc = JsonDocument.Parse(bytes);
        var schema = doc.RootElement.TryGetProperty("schema", out var s) ? s.GetString() : null;
        TelemetryMessages++;
        if (schema == TelemetryV2Encoder.Schema)
        {
            foreach (var stored in TelemetryV2Decoder.Decode(bytes).Readings)
            {
                var r = stored.Reading;
                Row(thing, r.Slot, r.Sku).Update(r.Timestamp, r.Count, r.Grams, WireFormat.Status(r.Status), r.Reason);
            }

            return;
        }

        // shelf.telemetry.v1 (and anything shaped like it): readings[] with slot, sku, grams, count, status.
        foreach (var r in doc.RootElement.GetProperty("readings").EnumerateArray())
        {
            Row(thing, Text(r, "slot") ?? "?", Text(r, "sku") ?? "")
                .Update(Time(r), Int(r, "count"), Number(r, "grams"), Text(r, "status") ?? "?", Text(r, "reason"));
        }
    }

    private string Event(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var e = doc.RootElement;
        var slot = Text(e, "slot") ?? "?";
        var type = Text(e, "type") ?? "event";
        var delta = Int(e, "delta");
        var count = Int(e, "count");
        var what = $"{type} {(delta is { } d ? d.ToString("+0;-0;0", CultureInfo.InvariantCulture) : "")} → {count?.ToString(CultureInfo.InvariantCulture) ?? "?"}";
        var row = Row(thing, slot, Text(e, "sku") ?? "");
        row.LastEvent = what;
        if (count is { } c)
        {
            row.Count = c;
        }

        return $"{Clock(Time(e))}  event  {Name(thing, slot)} {row.Sku}: {what}";
    }

    private string Alert(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var a = doc.RootElement;
        var slot = Text(a, "slot") ?? "?";
        var type = Text(a, "type") ?? "alert";
        var row = Row(thing, slot, Text(a, "sku") ?? "");
        var detail = new List<string>();
        if (a.TryGetProperty("count", out var count))
        {
            detail.Add($"count {(count.ValueKind == JsonValueKind.Number ? count.GetRawText() : "-")}");
        }

        if (Text(a, "reason") is { } reason)
        {
            detail.Add(reason);
        }

        // Fields of alert types this build does not know (e.g. a predicted stock-out's time), shown as they come.
        foreach (var p in a.EnumerateObject().Where(p => !HeaderFields.Contains(p.Name)))
        {
            detail.Add($"{p.Name} {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}");
        }

        row.LastEvent = $"ALERT {type}";
        return $"{Clock(Time(a))}  ALERT  {Name(thing, slot)} {row.Sku}: {type}{(detail.Count > 0 ? " (" + string.Join(", ", detail) + ")" : "")}";
    }

    private static string Status(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var online = doc.RootElement.TryGetProperty("online", out var o) && o.ValueKind == JsonValueKind.True;
        var version = Text(doc.RootElement, "version");
        return online
            ? $"{Clock(Time(doc.RootElement))}  status {thing} online{(version is null ? "" : $" (shelf-agent {version})")}"
            : $"{Clock(null)}  status {thing} OFFLINE (the agent stopped, or it vanished and the broker published its last will)";
    }

    private SlotRow Row(string thing, string slot, string sku)
    {
        _things.Add(thing);
        var key = thing + "/" + slot;
        if (!_slots.TryGetValue(key, out var row))
        {
            _slots[key] = row = new SlotRow(thing, slot) { Sku = sku };
        }

        if (sku.Length > 0)
        {
            row.Sku = sku;
        }

        return row;
    }

    private string Name(string thing, string slot) => _things.Count > 1 ? $"{thing}/{slot}" : slot;

    private static string Clock(DateTimeOffset? at) => (at ?? DateTimeOffset.UtcNow).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static DateTimeOffset? Time(JsonElement e)
        => Text(e, "ts") is { } ts && DateTimeOffset.TryParse(ts, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
