using Microsoft.Extensions.Configuration;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Config;

/// <summary>Reads and checks <c>Slots[]</c>: ids unique, weights positive, thresholds inside capacity.</summary>
internal static class SlotsReader
{
    private const int MaxCapacity = 100_000;

    public static List<SlotOptions> Read(ConfigReader r)
    {
        var slots = new List<SlotOptions>();
        var children = r.Root.GetSection("Slots").GetChildren().ToList();
        if (children.Count == 0)
        {
            r.Problem(
                "Slots",
                "must list at least one slot ({ \"Id\": \"A1\", \"Sku\": …, \"UnitGrams\": …, \"Capacity\": …, \"Sensor\": { \"Type\": \"Simulated\" } })");
            return slots;
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in children)
        {
            var p = child.Path; // "Slots:0"
            var slot = new SlotOptions
            {
                Id = r.String($"{p}:Id", required: true) ?? "",
                Sku = r.String($"{p}:Sku", required: true) ?? "",
                UnitGrams = r.Double($"{p}:UnitGrams", 0, 0.001, 1_000_000, required: true),
                TareGrams = r.Double($"{p}:TareGrams", 0, 0, 1_000_000),
                Capacity = r.Int($"{p}:Capacity", 0, 1, MaxCapacity),
                LowStockAt = r.Int($"{p}:LowStockAt", 0, 0, MaxCapacity),
            };
            if (r.Root[$"{p}:Capacity"] is null or "")
            {
                r.Problem($"{p}:Capacity", $"is required: the most items the slot holds (1 to {MaxCapacity})");
            }

            if (slot.LowStockAt > slot.Capacity && slot.Capacity >= 1)
            {
                r.Problem($"{p}:LowStockAt", $"{slot.LowStockAt} must not exceed Capacity {slot.Capacity}");
            }

            if (slot.Id.Length > 32)
            {
                r.Problem($"{p}:Id", $"must be at most 32 characters (was {slot.Id.Length})");
            }

            if (slot.Id.Length > 0 && !seen.TryAdd(slot.Id, p))
            {
                r.Problem($"{p}:Id", $"duplicate slot id \"{slot.Id}\" (also at {r.NameOf(seen[slot.Id])})");
            }

            if (slot.Sku.Length > 64)
            {
                r.Problem($"{p}:Sku", $"must be at most 64 characters (was {slot.Sku.Length})");
            }

            slot.Sensor = ReadSensor(r, child.GetSection("Sensor"));
            slots.Add(slot);
        }

        return slots;
    }

    private static SensorOptions ReadSensor(ConfigReader r, IConfigurationSection section)
    {
        var key = section.Path;
        if (!section.Exists())
        {
            r.Problem(key, $"is required: {{ \"Type\": \"{SensorTypes.Names("\" | \"")}\", … }}");
            return new SensorOptions();
        }

        if (SensorSectionReader.Read(r, section) is not { } sensor)
        {
            return new SensorOptions();
        }

        // The sensor's own checks (type, bus, address, lines, gain …) live with the sensor options.
        foreach (var problem in sensor.Validate(key))
        {
            r.Problem(problem.Key, problem.Message);
        }

        return sensor;
    }
}
