using System.Text.Json.Nodes;
using ShelfAgent.Config.Runtime;

namespace ShelfAgent.Tests.Config.Runtime;

public sealed class ConfigPatchTests
{
    private static readonly string[] Slots = ["A1", "B2"];

    private static (IReadOnlyList<ConfigPatchEntry> Entries, IReadOnlyList<ShelfAgent.Config.Runtime.ConfigKeyResult> Refused) Parse(string json)
        => ConfigPatch.Parse((JsonObject)JsonNode.Parse(json)!, Slots);

    [Fact]
    public void Plain_keys_become_flat_keys_in_canonical_spelling()
    {
        var (entries, refused) = Parse("""{"sampling":{"intervalMs":500},"Stock":{"PredictConfidence":0.9}}""");
        Assert.Empty(refused);
        Assert.Equal(
            [
                new ConfigPatchEntry("Sampling:IntervalMs", "Sampling:IntervalMs", "500"),
                new ConfigPatchEntry("Stock:PredictConfidence", "Stock:PredictConfidence", "0.9"),
            ],
            entries);
    }

    [Fact]
    public void Slots_keyed_by_id_map_to_their_position_in_agent_json()
    {
        var (entries, refused) = Parse("""{"Slots":{"B2":{"LowStockAt":3,"Sku":"TEA-1"}}}""");
        Assert.Empty(refused);
        Assert.Equal(
            [
                new ConfigPatchEntry("Slots:B2:LowStockAt", "Slots:1:LowStockAt", "3"),
                new ConfigPatchEntry("Slots:B2:Sku", "Slots:1:Sku", "TEA-1"),
            ],
            entries);
    }

    [Fact]
    public void Slots_as_an_array_are_matched_by_id_not_position()
    {
        var (entries, refused) = Parse("""{"Slots":[{"Id":"B2","Capacity":10}]}""");
        Assert.Empty(refused);
        Assert.Equal("Slots:1:Capacity", Assert.Single(entries).FlatKey);
    }

    [Fact]
    public void Keys_not_settable_remotely_are_refused_with_the_reason()
    {
        var (entries, refused) = Parse("""{"Mqtt":{"Host":"evil.example"},"Stock":{"DemandPath":"/etc/passwd"},"Slots":{"A1":{"Sensor":{"Type":"Hx711"}}}}""");
        Assert.Empty(entries);
        Assert.Equal(["Mqtt:Host", "Stock:DemandPath", "Slots:A1:Sensor"], refused.Select(r => r.Key));
        Assert.All(refused, r => Assert.Contains("not settable remotely", r.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_slot_is_refused()
    {
        var (entries, refused) = Parse("""{"Slots":{"Z9":{"LowStockAt":3}}}""");
        Assert.Empty(entries);
        Assert.Contains("no slot with Id \"Z9\"", Assert.Single(refused).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_puts_agent_json_back_and_an_object_value_is_refused()
    {
        var (entries, refused) = Parse("""{"Sampling":{"IntervalMs":null},"Publish":{"IntervalMs":{"x":1}}}""");
        Assert.Null(Assert.Single(entries).Value);
        Assert.Equal("Publish:IntervalMs", Assert.Single(refused).Key);
    }
}
