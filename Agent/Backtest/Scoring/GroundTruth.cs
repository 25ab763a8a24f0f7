using System.Globalization;
using System.Text.Json;

namespace ShelfAgent.Backtest.Scoring;

/// <summary>
/// What really happened in one or more simulated stores, read from <c>shelf-sim traces</c>' <c>{thing}.truth.jsonl</c>
/// (docs/simulator.md): per slot its stock-outs, restocks (with their counterfactual empty time), sensor faults and
/// missed rounds; per store its archetype, UTC offset and every local day's opening hours, holiday and promotions.
/// The one reader of truth files: <c>shelf-bench forecast</c> and <c>shelf-agent backtest --truth</c> both score
/// through it. Pure (lines in, model out).
/// </summary>
public sealed class GroundTruth
{
    private readonly Dictionary<(string Thing, string Slot), SlotTruth> _slots = [];
    private readonly Dictionary<string, StoreTruth> _stores = new(StringComparer.Ordinal);

    /// <summary>Every slot seen, by thing and slot id.</summary>
    public IReadOnlyDictionary<(string Thing, string Slot), SlotTruth> Slots => _slots;

    /// <summary>Every store (device) seen, by thing name.</summary>
    public IReadOnlyDictionary<string, StoreTruth> Stores => _stores;

    /// <summary>Reads a whole truth file (or several concatenated); returns the problems of unreadable lines.</summary>
    public static GroundTruth Read(TextReader reader, List<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var truth = new GroundTruth();
        var n = 0;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (!truth.TryAdd(line, out var problem))
            {
                problems?.Add($"line {n}: {problem}");
            }
        }

        return truth;
    }

    /// <summary>The slot's truth (created empty when first named).</summary>
    public SlotTruth Slot(string thing, string slot)
    {
        if (!_slots.TryGetValue((thing, slot), out var s))
        {
            s = new SlotTruth(thing, slot);
            _slots[(thing, slot)] = s;
        }

        return s;
    }

    /// <summary>The store's truth (created with defaults when first named).</summary>
    public StoreTruth Store(string thing)
    {
        if (!_stores.TryGetValue(thing, out var s))
        {
            s = new StoreTruth(thing);
            _stores[thing] = s;
        }

        return s;
    }

    /// <summary>Adds one line of a truth file; false (and why) when it cannot be read. Unknown types are skipped.</summary>
    public bool TryAdd(string line, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(line))
        {
            return true;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object || Str(e, "type") is not { } type || Str(e, "thing") is not { } thing
                || !TryTime(Str(e, "ts"), out var ts))
            {
                problem = "need an object with type, thing and ts";
                return false;
            }

            var store = Store(thing);
            if (store.Start is null || ts < store.Start)
            {
                store.Start = ts;
            }

            if (type == "store")
            {
                store.Archetype = Str(e, "archetype") ?? store.Archetype;
                store.StoreId = Str(e, "store") ?? store.StoreId;
                if (Str(e, "utcOffset") is { } offset && TimeSpan.TryParse(offset.TrimStart('+'), CultureInfo.InvariantCulture, out var o))
                {
                    store.UtcOffset = offset.StartsWith('-') ? -o.Duration() : o;
                }

                return true;
            }

            if (type == "day")
            {
                AddDay(store, e);
                return true;
            }

            if (type == "round-missed")
            {
                store.MissedRounds.Add(ts);
                return true;
            }

            if (Str(e, "slot") is not { } slotId)
            {
                problem = $"a {type} line needs a slot";
                return false;
            }

            var slot = Slot(thing, slotId);
            switch (type)
            {
                case "count":
                    var count = Int(e, "count") ?? 0;
                    if (slot.LastCount is { } last && count < last)
                    {
                        slot.ItemsSold += last - count;
                    }

                    slot.LastCount = count;
                    break;
                case "stockout-start":
                    slot.StockoutStarts.Add(ts);
                    break;
                case "restock":
                    slot.Restocks.Add(new RestockTruth(ts, Int(e, "from") ?? 0, Int(e, "to") ?? 0, Str(e, "schedule") ?? "",
                        e.TryGetProperty("partial", out var p) && p.ValueKind == JsonValueKind.True));
                    break;
                case "counterfactual-empty":
                    if (TryTime(Str(e, "restock"), out var of) && slot.Restocks.FindLastIndex(r => r.At == of) is var i and >= 0)
                    {
                        slot.Restocks[i] = slot.Restocks[i] with { CounterfactualEmpty = ts };
                    }

                    break;
                case "fault":
                    slot.Faults.Add((ts, ts + TimeSpan.FromMinutes(Dbl(e, "minutes") ?? 0)));
                    break;
            }

            return true;
        }
        catch (JsonException x)
        {
            problem = $"not JSON ({x.Message})";
            return false;
        }
    }

    private static void AddDay(StoreTruth store, JsonElement e)
    {
        if (!DateOnly.TryParseExact(Str(e, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return;
        }

        TimeSpan? open = TimeSpan.TryParse(Str(e, "open"), CultureInfo.InvariantCulture, out var o) ? o : null;
        TimeSpan? close = TimeSpan.TryParse(Str(e, "close"), CultureInfo.InvariantCulture, out var c) ? c : null;
        if (Str(e, "close") == "24:00")
        {
            close = TimeSpan.FromHours(24);
        }

        var promoted = new HashSet<string>(StringComparer.Ordinal);
        if (e.TryGetProperty("promotions", out var p) && p.ValueKind == JsonValueKind.Array)
        {
            foreach (var s in p.EnumerateArray())
            {
                if (s.GetString() is { } id)
                {
                    promoted.Add(id);
                }
            }
        }

        store.Days[date] = new StoreDay(date, open, close, e.TryGetProperty("holiday", out var h) && h.ValueKind == JsonValueKind.True, promoted);
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static double? Dbl(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static bool TryTime(string? text, out DateTimeOffset value)
        => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
