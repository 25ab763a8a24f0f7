using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// An agent.json for a test device: simulated slots that sell fast (S1, S2, … with SKU-1, SKU-2, …), sampling every
/// 100 ms, publishing every 200 ms, keep-alive 5 s, no rate limits, debug logging. Any key changes before the file is
/// written, named as agent.json names it: <c>Set("Sampling:IntervalMs", 600)</c>; a slot by its id:
/// <c>Set("Slots:S2:Sensor", …)</c>.
/// </summary>
public sealed class AgentJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly JsonObject _root;

    private AgentJson(JsonObject root)
    {
        _root = root;
    }

    /// <summary>
    /// The defaults for a device with <paramref name="slots"/> simulated slots; no identity until one is set. Every sample is
    /// published (<c>Publish:Readings all</c>), so a test sees its readings within a publish interval, not a minute; the shipped
    /// per-minute summaries have their own tests (Integration/MinuteSummariesTests).
    /// </summary>
    public static AgentJson Defaults(string store, string bufferPath, int slots = 3) => new(new JsonObject
    {
        ["Device"] = new JsonObject { ["StoreId"] = store },
        ["Mqtt"] = new JsonObject { ["KeepAliveSeconds"] = 5, ["MaxPublishesPerSecond"] = 0, ["MaxBytesPerSecond"] = 0 },
        ["Buffer"] = new JsonObject { ["Path"] = bufferPath },
        ["Sampling"] = new JsonObject { ["IntervalMs"] = 100 },
        ["Publish"] = new JsonObject { ["IntervalMs"] = 200, ["Readings"] = "all" },
        ["Logging"] = new JsonObject { ["Level"] = "Debug" },
        ["Slots"] = new JsonArray([.. Enumerable.Range(1, slots).Select(Slot)]),
    });

    /// <summary>Sets <paramref name="key"/> ("Section:Key", objects made as needed; a slot by its Id) to <paramref name="value"/>.</summary>
    public AgentJson Set(string key, JsonNode? value)
    {
        var path = key.Split(':');
        var parent = Walk(path[..^1]);
        parent[path[^1]] = value;
        return this;
    }

    /// <summary>How many slots, each as <see cref="Defaults"/> makes them.</summary>
    public AgentJson Slots(int count) => Set("Slots", new JsonArray([.. Enumerable.Range(1, count).Select(Slot)]));

    public AgentJson Copy() => new((JsonObject)_root.DeepClone());

    public string WriteTo(string path)
    {
        File.WriteAllText(path, _root.ToJsonString(Indented));
        return path;
    }

    private static JsonNode Slot(int i) => new JsonObject
    {
        ["Id"] = $"S{i}",
        ["Sku"] = $"SKU-{i}",
        ["UnitGrams"] = 368,
        ["TareGrams"] = 150,
        ["Capacity"] = 24,
        ["LowStockAt"] = 4,
        ["Sensor"] = new JsonObject { ["Type"] = "Simulated", ["PicksPerHour"] = 3600, ["FaultProbability"] = 0.01 },
    };

    private JsonObject Walk(string[] path)
    {
        var node = _root;
        for (var i = 0; i < path.Length; i++)
        {
            var name = path[i];
            if (node[name] is JsonArray items && i + 1 < path.Length)
            {
                // An array of objects with an Id (Slots): the next name picks one, as config-update jobs name slots.
                var id = path[++i];
                node = items.OfType<JsonObject>().Single(s => (string?)s["Id"] == id);
                continue;
            }

            node = node[name] switch
            {
                JsonObject child => child,
                null => (JsonObject)(node[name] = new JsonObject()),
                var other => throw new InvalidOperationException($"{string.Join(':', path[..(i + 1)])} is {other.GetValueKind()}, not an object"),
            };
        }

        return node;
    }
}
