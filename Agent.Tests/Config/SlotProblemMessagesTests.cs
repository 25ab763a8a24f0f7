using System.Collections;
using ShelfAgent.Config;

namespace ShelfAgent.Tests.Config;

/// <summary>
/// A slot's problems name the slot as the file does (by id, else by its place counted from 1) and say the value; the
/// key code matches on (<see cref="Validation.ConfigProblem.Key"/>, what the runtime configuration judges by) stays flat.
/// </summary>
public sealed class SlotProblemMessagesTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private ConfigException Load(string slots, IDictionary? environment = null)
    {
        var path = _files.Write(_files.ValidJson(slots));
        return Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, environment ?? ConfigFiles.NoEnvironment));
    }

    [Fact]
    public void LowStockAt_over_Capacity_names_the_slot_id_and_both_values()
    {
        var e = Load("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } },
              { "Id": "B2", "Sku": "WATER-500", "UnitGrams": 515, "Capacity": 24, "LowStockAt": 30, "Sensor": { "Type": "Simulated" } } ]
            """);

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Slots:1:LowStockAt", problem.Key);
        Assert.Equal("Slots[B2].LowStockAt", problem.Name);
        Assert.Contains($"{_files.Dir}/agent.json: Slots[B2].LowStockAt: 30 must not exceed Capacity 24", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slot_without_an_id_is_named_by_its_place_counted_from_one()
    {
        var e = Load("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } },
              { "Sku": "WATER-500", "UnitGrams": 515, "Capacity": 0, "Sensor": { "Type": "Simulated", "NoiseGrams": -1 } } ]
            """);

        Assert.Equal(
            ["Slots[#2].Capacity: must be from 1 to 100000 (was 0)", "Slots[#2].Id: is required", "Slots[#2].Sensor.NoiseGrams: must be 0 or more (was -1)"],
            e.Problems.Select(p => p.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Slots_sharing_an_id_are_named_by_place_and_point_at_each_other()
    {
        var e = Load("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } },
              { "Id": "a1", "Sku": "WATER-500", "UnitGrams": 515, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } } ]
            """);

        Assert.Equal("Slots[#2].Id: duplicate slot id \"a1\" (also at Slots[#1])", Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void A_sensor_problem_names_the_slot_the_curve_point_and_the_values()
    {
        var e = Load("""
            [ { "Id": "C3", "Sku": "SODA-355", "UnitGrams": 355, "Capacity": 9, "LowStockAt": 2,
                "Sensor": { "Type": "Ads1115", "Curve": [ { "Volts": 0.4, "Value": 800 }, { "Volts": 0.3, "Value": 100 } ], "Bus": 300 } } ]
            """);

        Assert.Equal(
            [
                "Slots[C3].Sensor.Bus: must be from 0 to 255, the N of /dev/i2c-N (was 300)",
                "Slots[C3].Sensor.Curve[#2].Volts: must be greater than the previous point's Volts 0.4 (was 0.3; points sorted by voltage)",
            ],
            e.Problems.Select(p => p.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_value_from_the_environment_names_the_slot_and_the_variable()
    {
        var e = Load(ConfigFiles.DefaultSlots, new Hashtable { ["SHELFAGENT_Slots__0__LowStockAt"] = "25" });

        Assert.Equal(
            "Slots[A1].LowStockAt: 25 must not exceed Capacity 24 (set by environment variable SHELFAGENT_Slots__0__LowStockAt)",
            Assert.Single(e.Problems).ToString());
    }

    [Fact]
    public void An_unknown_key_in_a_slot_is_named_the_same_way()
    {
        var path = _files.Write(_files.ValidJson("""
            [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "LowStockAtt": 5, "Sensor": { "Type": "Simulated" } } ]
            """));

        AgentConfigLoader.Load(path, out var warnings, ConfigFiles.NoEnvironment);

        Assert.Equal($"{path}: Slots[A1].LowStockAtt: unknown key, ignored (a typo of LowStockAt?)", Assert.Single(warnings));
    }
}
