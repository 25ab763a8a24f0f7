using System.Globalization;
using System.Text;
using System.Text.Json;
using ShelfAgent.Contract;
using ShelfAgent.Stock;

namespace ShelfAgent.Watch;

/// <summary>
/// What <c>shelf-agent watch</c> shows, built from the device's MQTT messages: one row per slot (settled count,
/// grams, status, last event), a status line per device (connection, telemetry, buffer) and a line per event, alert
/// and status change, times in the viewer's local time. Pure: messages in, state and lines out. Topics it does not
/// know (a forecast topic, a newer type) are counted and otherwise ignored.
/// </summary>
public sealed class ShelfView
{
    private readonly SortedDictionary<string, SlotRow> _slots = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, DeviceStatus> _devices = new(StringComparer.Ordinal);
    private readonly string? _configuredThing;
    private readonly Dictionary<string, double> _tare;

    /// <summary>A view; <paramref name="slots"/> (the device's agent.json) gives each slot's TareGrams, so grams are net.</summary>
    /// <param name="time">The clock and time zone lines are written in.</param>
    /// <param name="thing">The device <paramref name="slots"/> belong to; null: any device.</param>
    /// <param name="slots">The device's slots, or null when its configuration is not at hand.</param>
    public ShelfView(TimeProvider? time = null, string? thing = null, IReadOnlyList<SlotOptions>? slots = null)
    {
        Clock = new LocalTime(time ?? TimeProvider.System);
        _configuredThing = string.IsNullOrEmpty(thing) ? null : thing;
        KnowsTare = slots is not null;
        _tare = (slots ?? []).ToDictionary(s => s.Id, s => s.TareGrams, StringComparer.Ordinal);
    }

    /// <summary>The clock lines are written with.</summary>
    public LocalTime Clock { get; }

    /// <summary>True when grams are net (the slots' TareGrams are known).</summary>
    public bool KnowsTare { get; }

    /// <summary>Messages on topics the view does not show (counted, not printed).</summary>
    public int Ignored { get; private set; }

    /// <summary>Telemetry messages read.</summary>
    public int TelemetryMessages { get; private set; }

    /// <summary>Rows, by thing and slot.</summary>
    public IReadOnlyCollection<SlotRow> Slots => _slots.Values;

    /// <summary>Devices seen, by thing.</summary>
    public IReadOnlyCollection<DeviceStatus> Devices => _devices.Values;

    /// <summary>The table's headings; the grams column says whether the tray is in.</summary>
    public IReadOnlyList<string> Headings => ["SLOT", "SKU", "COUNT", KnowsTare ? "NET G" : "GROSS G", "STATUS", "LAST EVENT", "AT"];

    /// <summary>What the columns mean, for a line under the table.</summary>
    public string Legend => "COUNT: settled count (the same 3 readings in a row), the one events use; "
        + (KnowsTare
            ? "NET G: grams of product, the slot's TareGrams (tray) taken off"
            : "GROSS G: grams on the load cell, tray included (--config with the device's agent.json shows net grams)");

    /// <summary>The device, created on first sight.</summary>
    public DeviceStatus Device(string thing)
    {
        if (!_devices.TryGetValue(thing, out var device))
        {
            _devices[thing] = device = new DeviceStatus(thing);
        }

        return device;
    }

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

        // dt/shelf/{store}/{thing}/{kind}, or the device's shadow update $aws/things/{thing}/shadow/update.
        var parts = topic.Split('/');
        var shadow = parts.Length == 5 && parts[0] == "$aws" && parts[1] == "things" && parts[3] == "shadow" && parts[4] == "update";
        TopicKind? kind = Topics.TryParse(topic, out var device, out var k) ? k : null;
        if (!shadow && kind is null)
        {
            Ignored++;
            return [];
        }

        var thing = shadow ? parts[2] : device.ThingName;
        try
        {
            if (shadow)
            {
                Shadow(thing, payload);
                return [];
            }

            switch (kind)
            {
                case TopicKind.Telemetry:
                    Telemetry(thing, payload);
                    return [];
                case TopicKind.Events:
                    return [Event(thing, payload)];
                case TopicKind.Alerts:
                    return [Alert(thing, payload)];
                case TopicKind.Status:
                    return [Status(thing, payload)];
                default:
                    Ignored++;
                    return [];
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return [$"{Clock.Clock(null)}  ?      {thing}: cannot read a message on {topic}: {e.Message}"];
        }
    }

    /// <summary>The table's rows, cells in the order of <see cref="Headings"/>.</summary>
    public IReadOnlyList<string[]> Rows()
    {
        var many = _slots.Values.Select(s => s.Thing).Distinct(StringComparer.Ordinal).Skip(1).Any();
        var c = CultureInfo.InvariantCulture;
        return _slots.Values.Select(s => new[]
        {
            many ? $"{s.Thing}/{s.Slot}" : s.Slot,
            s.Sku,
            s.Count?.ToString(c) ?? "-",
            (KnowsTare ? s.NetGrams : s.GrossGrams)?.ToString("0", c) ?? "-",
            s.Status + (s.Reason is null ? "" : $" ({s.Reason})"),
            s.LastEvent ?? "",
            s.UpdatedAt is { } at ? Clock.Clock(at) : "",
        }).ToList();
    }

    /// <summary>One status line per device seen.</summary>
    public IReadOnlyList<string> StatusLines() => _devices.Values.Select(d => d.Line(Clock)).ToList();

    private void Telemetry(string thing, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        using var doc = JsonDocument.Parse(bytes);
        var v2 = TelemetrySchemas.TryParse(JsonFields.Text(doc.RootElement, "schema"), out var schema) && schema == TelemetrySchema.V2;
        TelemetryMessages++;
        // Live data is v2 too since issue 21 (Publish:LiveSchema): a batch carries backlog when a reading in it is older than
        // the agent's default live window (Buffer:LiveWindowSeconds, 60 s) when it was sent, whatever its schema.
        var sent = JsonFields.Time(doc.RootElement, "sent");
        var oldest = DateTimeOffset.MaxValue;
        if (v2)
        {
            foreach (var stored in TelemetryV2Decoder.Decode(bytes).Readings)
            {
                var r = stored.Reading;
                oldest = r.Timestamp < oldest ? r.Timestamp : oldest;
                Row(thing, r.Slot, r.Sku).Update(r.Timestamp, r.Count, r.Grams, WireFormat.Status(r.Status), r.Reason);
            }
        }
        else
        {
            // shelf.telemetry.v1 (and anything shaped like it): readings[] with slot, sku, grams, count, status.
            foreach (var r in doc.RootElement.GetProperty("readings").EnumerateArray())
            {
                var at = JsonFields.Time(r);
                oldest = at is { } t && t < oldest ? t : oldest;
                Row(thing, JsonFields.Text(r, "slot") ?? "?", JsonFields.Text(r, "sku") ?? "").Update(
                    at,
                    JsonFields.Int(r, "count"),
                    JsonFields.Number(r, "grams"),
                    JsonFields.Text(r, "status") ?? "?",
                    JsonFields.Text(r, "reason"));
            }
        }

        Device(thing).Telemetry(Clock.Now, sent is { } s && oldest != DateTimeOffset.MaxValue && s - oldest > TimeSpan.FromSeconds(60));
    }

    private string Event(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var e = doc.RootElement;
        var slot = JsonFields.Text(e, "slot") ?? "?";
        var type = JsonFields.Text(e, "type") ?? "event";
        var delta = JsonFields.Int(e, "delta");
        var count = JsonFields.Int(e, "count");
        var what = $"{type} {(delta is { } d ? d.ToString("+0;-0;0", CultureInfo.InvariantCulture) : "")} " +
            $"→ {count?.ToString(CultureInfo.InvariantCulture) ?? "?"}";
        var row = Row(thing, slot, JsonFields.Text(e, "sku") ?? "");
        row.LastEvent = what;
        if (count is { } c)
        {
            row.Settled(c);
        }

        return $"{Clock.Clock(JsonFields.Time(e))}  event  {Name(thing, slot)} {row.Sku}: {what}";
    }

    private string Alert(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var a = doc.RootElement;
        var slot = JsonFields.Text(a, "slot") ?? "?";
        var type = JsonFields.Text(a, "type") ?? "alert";
        var row = Row(thing, slot, JsonFields.Text(a, "sku") ?? "");
        if (JsonFields.Int(a, "count") is { } count && type is "low" or "empty" or "recovered" or "predicted-empty" or "predicted-empty-cleared")
        {
            // These carry the settled count (docs/data-contract.md); low and empty also say its status.
            row.Settled(count, type is "low" or "empty" ? type : null);
        }

        var detail = AlertText.Details(a, Clock);
        row.LastEvent = $"ALERT {type}";
        return $"{Clock.Clock(JsonFields.Time(a))}  ALERT  {Name(thing, slot)} {row.Sku}: {type}{(detail.Length > 0 ? " (" + detail + ")" : "")}";
    }

    private string Status(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var root = doc.RootElement;
        var online = root.TryGetProperty("online", out var o) && o.ValueKind == JsonValueKind.True;
        var version = JsonFields.Text(root, "version");
        var at = JsonFields.Time(root);
        // The last will is exactly {"online":false} (ConnectionService.OfflinePayload): the broker sent it, not the agent;
        // a clean stop says when (ConnectionService.StatusPayload).
        var will = !online && root.EnumerateObject().Count() == 1;
        Device(thing).Status(online, at ?? Clock.Now, version, will);
        return online ? $"{Clock.Clock(at)}  status {thing} online{(version is null ? "" : $" (shelf-agent {version})")}"
            : will ? $"{Clock.Clock(null)}  status {thing} OFFLINE (the broker published its last will: the agent vanished without saying goodbye)"
            : $"{Clock.Clock(at)}  status {thing} offline";
    }

    /// <summary>The reported state the agent sends to its shadow (docs/shadow.md): the buffer's depth is in <c>device.buffer</c>.</summary>
    private void Shadow(string thing, string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        if (JsonFields.Path(doc.RootElement, "state", "reported", "device", "buffer") is { } buffer && JsonFields.Long(buffer, "depth") is { } depth)
        {
            var age = JsonFields.Long(buffer, "oldestAgeSeconds") is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            Device(thing).Buffer = new BufferDepth(depth, age, "shadow report", Clock.Now);
        }
    }

    private SlotRow Row(string thing, string slot, string sku)
    {
        Device(thing);
        var key = thing + "/" + slot;
        if (!_slots.TryGetValue(key, out var row))
        {
            var tare = (_configuredThing is null || _configuredThing == thing) && _tare.TryGetValue(slot, out var t) ? t : (double?)null;
            _slots[key] = row = new SlotRow(thing, slot, tare) { Sku = sku };
        }

        if (sku.Length > 0)
        {
            row.Sku = sku;
        }

        return row;
    }

    private string Name(string thing, string slot) => _devices.Count > 1 ? $"{thing}/{slot}" : slot;
}
