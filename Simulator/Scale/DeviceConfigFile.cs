using System.Text.Json.Nodes;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// A virtual device's agent.json, as a real device has one: the shadow and jobs judge every remote change against the
/// file (docs/shadow.md), so a simulated device runs from a file too, and answers config-update jobs and desired
/// changes exactly as the agent does.
/// </summary>
public static class DeviceConfigFile
{
    /// <summary>What differs from device to device.</summary>
    /// <param name="Thing">Thing name = client id = certificate CN.</param>
    /// <param name="StoreId">The store.</param>
    /// <param name="Folder">The device's folder (buffer anchor, certificates, desired-config.json, jobs.json).</param>
    /// <param name="Host">Broker host.</param>
    /// <param name="Port">Broker port (a drop-out relay's for devices in the drop-out fraction).</param>
    /// <param name="CaFile">The CA the broker's certificate is checked against.</param>
    /// <param name="Seed">The device's random seed (products, sales).</param>
    public sealed record Device(string Thing, string StoreId, string Folder, string Host, int Port, string CaFile, int Seed);

    /// <summary>Writes the device's agent.json and returns its path.</summary>
    public static string Write(Device device, FleetOptions fleet)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(fleet);
        var random = new Random(device.Seed);
        var slots = new JsonArray();
        for (var i = 0; i < fleet.SlotsPerDevice; i++)
        {
            var (sku, unit, capacity, rate) = Catalog.Products[random.Next(Catalog.Products.Count)];
            slots.Add(new JsonObject
            {
                ["Id"] = $"{(char)('A' + (i / 6))}{(i % 6) + 1}",
                ["Sku"] = sku,
                ["UnitGrams"] = unit,
                ["TareGrams"] = 150 + random.Next(60),
                ["Capacity"] = capacity,
                ["LowStockAt"] = Math.Max(1, capacity / 6),
                ["Sensor"] = new JsonObject
                {
                    ["Type"] = "Simulated",
                    ["PicksPerHour"] = Math.Round(rate * (0.5 + random.NextDouble()), 2),
                    ["DailyPattern"] = true,
                    ["FaultProbability"] = fleet.FaultProbability,
                    ["RestockAt"] = random.Next(0, 3),
                    ["Seed"] = random.Next(1, int.MaxValue),
                },
            });
        }

        var mqtt = new JsonObject
        {
            ["Host"] = device.Host,
            ["Port"] = device.Port,
            ["CaFile"] = device.CaFile,
            ["CertFile"] = Path.Combine(device.Folder, "device.crt"),
            ["KeyFile"] = Path.Combine(device.Folder, "device.key"),
            ["KeepAliveSeconds"] = fleet.KeepAliveSeconds,
            ["MaxPublishesPerSecond"] = fleet.AwsLimits ? 100 : 0,
            ["MaxBytesPerSecond"] = fleet.AwsLimits ? 512 * 1024 : 0,
        };
        var json = new JsonObject
        {
            ["Device"] = new JsonObject { ["ThingName"] = device.Thing, ["StoreId"] = device.StoreId },
            ["Mqtt"] = mqtt,
            ["Buffer"] = new JsonObject { ["Path"] = Path.Combine(device.Folder, "outbox.db") },
            ["Calibration"] = new JsonObject { ["Path"] = Path.Combine(device.Folder, "calibration.json") },
            ["Sampling"] = new JsonObject { ["IntervalMs"] = fleet.SamplingMs },
            // Every sample by default (not the shipped per-minute summaries): the fleet loads the pipeline and broker at full rate.
            ["Publish"] = new JsonObject
            {
                ["IntervalMs"] = fleet.PublishMs,
                ["Readings"] = fleet.Readings == Stock.PublishedReadings.All ? "all" : "summaries",
            },
            ["Shadow"] = new JsonObject { ["Enabled"] = fleet.Shadow },
            ["Slots"] = slots,
        };
        var path = Path.Combine(device.Folder, "agent.json");
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        return path;
    }
}
