using ShelfAgent.Config;

namespace ShelfAgent.Tests.Config;

public sealed class ConfigKeyNamesTests
{
    private static readonly Func<int, string?> Ids =
        ConfigKeyNames.SlotIds(new Dictionary<int, string?> { [0] = "A1", [1] = null, [2] = "b7", [3] = "B7", [4] = "  " });

    [Theory]
    [InlineData("Slots:0:LowStockAt", "Slots[A1].LowStockAt")]
    [InlineData("Slots:0", "Slots[A1]")]
    [InlineData("Slots:0:Sensor:NoiseGrams", "Slots[A1].Sensor.NoiseGrams")]
    [InlineData("Slots:0:Sensor:Curve:1:Volts", "Slots[A1].Sensor.Curve[#2].Volts")]
    [InlineData("Slots:1:Capacity", "Slots[#2].Capacity")] // no id: its place, counted from 1
    [InlineData("Slots:4:Sku", "Slots[#5].Sku")] // a blank id is none
    [InlineData("Slots:9:Id", "Slots[#10].Id")] // a slot only the environment adds
    public void Names_a_slot_by_its_id_or_else_by_its_position_from_one(string key, string name)
        => Assert.Equal(name, ConfigKeyNames.Of(key, Ids));

    [Theory]
    [InlineData("Slots:2:Id", "Slots[#3].Id")]
    [InlineData("Slots:3:Id", "Slots[#4].Id")]
    public void Names_slots_that_share_an_id_by_position_as_the_id_names_neither(string key, string name)
        => Assert.Equal(name, ConfigKeyNames.Of(key, Ids));

    [Theory]
    [InlineData("Mqtt:Port")]
    [InlineData("Slots")]
    [InlineData("DemandProfiles:A1")]
    [InlineData("Slots:A1:LowStockAt")] // the runtime path's contract form: already by id
    [InlineData("(file)")]
    public void Leaves_keys_outside_a_list_as_the_docs_name_them(string key)
        => Assert.Equal(key, ConfigKeyNames.Of(key, Ids));
}
