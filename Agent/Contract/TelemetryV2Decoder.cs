using System.Globalization;
using System.Text.Json;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Contract;

/// <summary>
/// Expands a <c>shelf.telemetry.v2</c> message back into readings identical to what v1 would carry
/// (docs/data-contract-v2.md). Pure; throws <see cref="InvalidDataException"/> naming the field at fault.
/// </summary>
public static class TelemetryV2Decoder
{
    /// <summary>Decodes one v2 payload.</summary>
    /// <exception cref="InvalidDataException">The payload is not a well-formed v2 message.</exception>
    public static TelemetryBatch Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return DecodeUnchecked(payload);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or IndexOutOfRangeException or KeyNotFoundException)
        {
            // A value of the wrong JSON kind (GetInt64 on a string, a short key pair, ...).
            throw new InvalidDataException($"shelf.telemetry.v2: malformed ({e.Message})", e);
        }
    }

    private static TelemetryBatch DecodeUnchecked(ReadOnlyMemory<byte> payload)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"shelf.telemetry.v2: not JSON ({e.Message})", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (Str(root, "schema") != TelemetryV2Encoder.Schema)
            {
                throw new InvalidDataException($"shelf.telemetry.v2: schema is '{Str(root, "schema")}'");
            }

            var envelope = new TelemetryEnvelope(Str(root, "thing"), Str(root, "store"));
            var sent = Time(root, "sent");
            var t0 = Time(root, "t0").ToUnixTimeMilliseconds();

            var seqs = new List<long>();
            foreach (var run in Array(root, "seq").EnumerateArray())
            {
                if (run.ValueKind != JsonValueKind.Array || run.GetArrayLength() != 2 || run[1].GetInt32() < 1)
                {
                    throw new InvalidDataException("shelf.telemetry.v2: seq runs must be [first, length ≥ 1]");
                }

                var first = run[0].GetInt64();
                for (var k = 0; k < run[1].GetInt32(); k++)
                {
                    seqs.Add(first + k);
                }
            }

            var n = seqs.Count;
            var keys = Array(root, "keys").EnumerateArray().Select(k => (Slot: k[0].GetString()!, Sku: k[1].GetString()!)).ToList();
            var key = Column(root, "key", n);
            var dt = Column(root, "dt", n);
            var grams = Column(root, "grams", n);
            var count = Column(root, "count", n);
            var status = Str(root, "status");
            if (status.Length != n)
            {
                throw new InvalidDataException($"shelf.telemetry.v2: status has {status.Length} letters for {n} readings");
            }

            var untrusted = new HashSet<int>();
            if (root.TryGetProperty("untrusted", out var untrustedArray))
            {
                foreach (var index in untrustedArray.EnumerateArray())
                {
                    untrusted.Add(index.GetInt32());
                }
            }

            var reasons = new Dictionary<int, string>();
            if (root.TryGetProperty("reason", out var reasonObject))
            {
                foreach (var p in reasonObject.EnumerateObject())
                {
                    reasons[int.Parse(p.Name, NumberStyles.None, CultureInfo.InvariantCulture)] = p.Value.GetString()!;
                }
            }

            var summaries = Summaries(root, n);
            var readings = new List<StoredReading>(n);
            var ts = t0;
            for (var i = 0; i < n; i++)
            {
                ts += dt[i].GetInt64();
                var k = key[i].GetInt32();
                if ((uint)k >= (uint)keys.Count)
                {
                    throw new InvalidDataException($"shelf.telemetry.v2: key[{i}] = {k} has no entry in keys");
                }

                readings.Add(new StoredReading(seqs[i], new Reading(
                    DateTimeOffset.FromUnixTimeMilliseconds(ts),
                    keys[k].Slot,
                    keys[k].Sku,
                    grams[i].ValueKind == JsonValueKind.Null ? null : grams[i].GetDouble(),
                    count[i].ValueKind == JsonValueKind.Null ? null : count[i].GetInt32(),
                    Status(status[i], i),
                    reasons.GetValueOrDefault(i),
                    untrusted.Contains(i),
                    summaries?[i])));
            }

            var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
            if (root.TryGetProperty("dropped", out var droppedObject))
            {
                foreach (var p in droppedObject.EnumerateObject())
                {
                    dropped[p.Name] = p.Value.GetInt64();
                }
            }

            return new TelemetryBatch(TelemetryV2Encoder.Schema, envelope, sent, readings, dropped);
        }
    }

    private static StockStatus Status(char code, int index) => code switch
    {
        'o' => StockStatus.Ok,
        'l' => StockStatus.Low,
        'e' => StockStatus.Empty,
        'f' => StockStatus.Fault,
        _ => throw new InvalidDataException($"shelf.telemetry.v2: status letter '{code}' at {index} is not one of o l e f"),
    };

    private static JsonElement Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Array
            ? e
            : throw new InvalidDataException($"shelf.telemetry.v2: '{name}' must be an array");

    private static JsonElement[] Column(JsonElement root, string name, int n)
    {
        var column = Array(root, name).EnumerateArray().ToArray();
        return column.Length == n
            ? column
            : throw new InvalidDataException($"shelf.telemetry.v2: '{name}' has {column.Length} values for {n} readings");
    }

    private static string Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new InvalidDataException($"shelf.telemetry.v2: '{name}' must be a string");

    private static DateTimeOffset Time(JsonElement root, string name) =>
        DateTimeOffset.TryParseExact(Str(root, name), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new InvalidDataException($"shelf.telemetry.v2: '{name}' is not a UTC timestamp with milliseconds");

    // summary (issue 21): four columns of n entries; a reading whose n is null is a plain sample.
    private static ReadingSummary?[]? Summaries(JsonElement root, int n)
    {
        if (!root.TryGetProperty("summary", out var summary))
        {
            return null;
        }

        var samples = Column(summary, "n", n);
        var min = Column(summary, "gramsMin", n);
        var max = Column(summary, "gramsMax", n);
        var faults = Column(summary, "faults", n);
        var result = new ReadingSummary?[n];
        for (var i = 0; i < n; i++)
        {
            if (samples[i].ValueKind != JsonValueKind.Null)
            {
                result[i] = new ReadingSummary(samples[i].GetInt32(), OptionalDouble(min[i]), OptionalDouble(max[i]),
                    faults[i].ValueKind == JsonValueKind.Null ? 0 : faults[i].GetInt32());
            }
        }

        return result;
    }

    private static double? OptionalDouble(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
}
