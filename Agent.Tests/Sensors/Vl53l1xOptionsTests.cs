using ShelfAgent.Config;
using ShelfAgent.Drivers.Vl53l1x;
using ShelfAgent.Sensors;
using ShelfAgent.Tests.Config;

namespace ShelfAgent.Tests.Sensors;

/// <summary>The Vl53l1x keys of a slot's Sensor block, checked at start like every other key.</summary>
public sealed class Vl53l1xOptionsTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    private static List<string> Problems(SensorOptions o) => o.Validate("Slots:2:Sensor").Select(p => p.ToString()).ToList();

    private static SensorOptions Valid() => new() { Type = SensorType.Vl53l1x, EmptyDistanceMm = 600, MmPerItem = 66 };

    [Fact]
    public void A_slot_with_empty_distance_and_depth_per_item_is_valid() => Assert.Empty(Problems(Valid()));

    [Fact]
    public void The_type_is_read_from_agent_json_in_any_case_and_defaults_to_address_0x29()
    {
        var path = _files.Write(_files.ValidJson("""
            [ { "Id": "C1", "Sku": "SODA-355", "UnitGrams": 355, "Capacity": 9, "LowStockAt": 2,
                "Sensor": { "Type": "vl53L1X", "EmptyDistanceMm": 600, "MmPerItem": 66 } } ]
            """));

        var sensor = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment).Slots[0].Sensor;

        Assert.Equal(SensorType.Vl53l1x, sensor.Type);
        Assert.Equal(0x29, sensor.ResolvedAddress);
    }

    [Fact]
    public void Empty_distance_and_depth_per_item_are_required_and_named()
    {
        var problems = Problems(new SensorOptions { Type = SensorType.Vl53l1x });

        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:EmptyDistanceMm: is required for Vl53l1x", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Slots:2:Sensor:MmPerItem: is required for Vl53l1x", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 66, "EmptyDistanceMm")]
    [InlineData(-5, 66, "EmptyDistanceMm")]
    [InlineData(1301, 66, "EmptyDistanceMm")] // beyond Short mode's 1.3 m
    [InlineData(600, 0, "MmPerItem")]
    [InlineData(600, 601, "MmPerItem")]
    public void Distances_the_sensor_or_the_slot_cannot_have_are_refused(double empty, double perItem, string key)
    {
        var o = Valid();
        o.EmptyDistanceMm = empty;
        o.MmPerItem = perItem;

        Assert.Contains(Problems(o), p => p.StartsWith($"Slots:2:Sensor:{key}: must", StringComparison.Ordinal));
    }

    [Fact]
    public void Long_mode_reaches_four_metres()
    {
        var o = Valid();
        o.DistanceMode = Vl53l1xDistanceMode.Long;
        o.EmptyDistanceMm = 2500;

        Assert.Empty(Problems(o));
        o.EmptyDistanceMm = 4001;
        Assert.Contains(Problems(o), p => p.StartsWith("Slots:2:Sensor:EmptyDistanceMm: must be at most 4000 mm", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(Vl53l1xDistanceMode.Short, 15, true)]
    [InlineData(Vl53l1xDistanceMode.Long, 15, false)]
    [InlineData(Vl53l1xDistanceMode.Long, 33, true)]
    [InlineData(Vl53l1xDistanceMode.Short, 40, false)]
    public void Timing_budgets_are_checked_per_distance_mode(Vl53l1xDistanceMode mode, int budget, bool valid)
    {
        var o = Valid();
        o.DistanceMode = mode;
        o.EmptyDistanceMm = 1000;
        o.TimingBudgetMs = budget;

        Assert.Equal(valid, !Problems(o).Any(p => p.StartsWith("Slots:2:Sensor:TimingBudgetMs", StringComparison.Ordinal)));
    }

    // Text that names no mode is refused as agent.json is read (FixedSetKeysTests); a caller's number here.
    [Fact]
    public void An_undefined_distance_mode_is_refused()
    {
        var o = Valid();
        o.DistanceMode = (Vl53l1xDistanceMode)7;

        Assert.Contains(Problems(o), p => p.StartsWith("Slots:2:Sensor:DistanceMode: must be Short or Long", StringComparison.Ordinal));
    }

    [Fact]
    public void Another_address_is_refused()
    {
        var o = Valid();
        o.Address = "0x30";

        Assert.Contains(Problems(o), p => p.StartsWith("Slots:2:Sensor:Address: must be 0x29 for Vl53l1x", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_vl53l1x_block_in_agent_json_names_the_file_and_the_key()
    {
        var path = _files.Write(_files.ValidJson("""
            [ { "Id": "C1", "Sku": "SODA-355", "UnitGrams": 355, "Capacity": 9, "LowStockAt": 2, "Sensor": { "Type": "Vl53l1x", "MmPerItem": 66 } } ]
            """));

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains($"{path}: Slots[C1].Sensor.EmptyDistanceMm: is required for Vl53l1x", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_good_vl53l1x_block_in_agent_json_loads_without_warnings()
    {
        var path = _files.Write(_files.ValidJson("""
            [ { "Id": "C1", "Sku": "SODA-355", "UnitGrams": 355, "Capacity": 9, "LowStockAt": 2,
                "Sensor": { "Type": "Vl53l1x", "EmptyDistanceMm": 600, "MmPerItem": 66, "DistanceMode": "Short", "TimingBudgetMs": 33 } } ]
            """));

        var options = AgentConfigLoader.Load(path, out var warnings, ConfigFiles.NoEnvironment);

        Assert.Empty(warnings);
        Assert.Equal(600, options.Slots[0].Sensor.EmptyDistanceMm);
        Assert.Equal(33, options.Slots[0].Sensor.TimingBudgetMs);
    }

    public void Dispose() => _files.Dispose();
}
