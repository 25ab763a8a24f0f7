using System.Text.Json;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>One simulated device's files from <c>shelf-sim traces</c>: its agent.json, readings and its store's sales.</summary>
/// <param name="Thing">Thing name.</param>
/// <param name="Store">Store id.</param>
/// <param name="ConfigPath"><c>{thing}.agent.json</c>.</param>
/// <param name="ReadingsPath"><c>{thing}.readings.jsonl</c>.</param>
/// <param name="SalesPath"><c>{store}.sales.jsonl</c>, null when absent.</param>
/// <param name="TruthPath"><c>{thing}.truth.jsonl</c>, null when absent.</param>
public sealed record DeviceTrace(string Thing, string Store, string ConfigPath, string ReadingsPath, string? SalesPath, string? TruthPath)
{
    /// <summary>The devices of a traces folder, by thing name.</summary>
    public static IReadOnlyList<DeviceTrace> Find(string directory)
    {
        var found = new List<DeviceTrace>();
        foreach (var config in Directory.EnumerateFiles(directory, "*.agent.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            var device = doc.RootElement.GetProperty("Device");
            var thing = device.GetProperty("ThingName").GetString() ?? throw new InvalidDataException($"{config}: no Device.ThingName");
            var store = device.GetProperty("StoreId").GetString() ?? throw new InvalidDataException($"{config}: no Device.StoreId");
            var readings = Path.Combine(directory, thing + ".readings.jsonl");
            if (!File.Exists(readings))
            {
                continue;
            }

            var sales = Path.Combine(directory, store + ".sales.jsonl");
            var truth = Path.Combine(directory, thing + ".truth.jsonl");
            found.Add(new DeviceTrace(thing, store, config, readings, File.Exists(sales) ? sales : null, File.Exists(truth) ? truth : null));
        }

        return found;
    }
}
