using System.Text.Json;
using ShelfAgent.Config;

namespace ShelfAgent.Tests.Config;

public sealed class AgentJsonPatchTests
{
    private const string File = """
        {
            "Device": { "ThingName": "shelf-01", "StoreId": "007" },
            "Sampling": { "IntervalMs": 1000 },
            // a comment the reader tolerates
            "Slots": [ { "Id": "A1", "Sku": "12345", "LowStockAt": 3 }, { "Id": "B1", "Sku": "COLA", "LowStockAt": 2 } ]
        }
        """;

    [Fact]
    public void Keys_are_set_by_configuration_path_keeping_order_indentation_and_the_files_kinds()
    {
        var text = AgentJsonPatch.Apply(
            File,
            [new("sampling:intervalMs", "500"), new("Slots:1:LowStockAt", "6"), new("Slots:0:Sku", "67890"), new("Device:StoreId", "8")]);

        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal(500, root.GetProperty("Sampling").GetProperty("IntervalMs").GetInt32());
        Assert.Equal(6, root.GetProperty("Slots")[1].GetProperty("LowStockAt").GetInt32());
        Assert.Equal("67890", root.GetProperty("Slots")[0].GetProperty("Sku").GetString()); // a string stays a string
        Assert.Equal("8", root.GetProperty("Device").GetProperty("StoreId").GetString());
        Assert.Equal(["Device", "Sampling", "Slots"], root.EnumerateObject().Select(p => p.Name));
        Assert.Contains("\n    \"Device\"", text, StringComparison.Ordinal); // the file's four-space indentation
    }

    [Fact]
    public void New_keys_create_their_section_and_read_as_numbers_or_booleans_when_they_are()
    {
        var text = AgentJsonPatch.Apply(
            File,
            [new("Shadow:Enabled", "true"), new("Stock:PredictHorizonMinutes", "120"), new("Publish:BacklogSchema", "shelf.telemetry.v2")]);

        using var doc = JsonDocument.Parse(text);
        Assert.True(doc.RootElement.GetProperty("Shadow").GetProperty("Enabled").GetBoolean());
        Assert.Equal(120, doc.RootElement.GetProperty("Stock").GetProperty("PredictHorizonMinutes").GetInt32());
        Assert.Equal("shelf.telemetry.v2", doc.RootElement.GetProperty("Publish").GetProperty("BacklogSchema").GetString());
    }

    [Fact]
    public void A_slot_position_that_is_not_in_the_file_is_refused()
        => Assert.Throws<JsonException>(() => AgentJsonPatch.Apply(File, [new("Slots:5:LowStockAt", "1")]));
}
