using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Drivers.Vl53l1x;
using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Config;

/// <summary>Keys with a fixed set of values are parsed once, as agent.json is read, into their type.</summary>
public sealed class FixedSetKeysTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Slot(string sensor) => _files.Write(_files.ValidJson($$"""
        [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "Sensor": {{sensor}} } ]
        """));

    [Theory]
    [InlineData("Simulated", SensorType.Simulated)]
    [InlineData("hx711", SensorType.Hx711)]
    [InlineData("NAU7802", SensorType.Nau7802)]
    [InlineData("ads1115", SensorType.Ads1115)]
    [InlineData("vl53L1X", SensorType.Vl53l1x)]
    public void The_sensor_type_is_read_in_any_case(string text, SensorType type)
    {
        var path = Slot($$"""{ "Type": "{{text}}", "DataLine": 5, "ClockLine": 6, "EmptyDistanceMm": 600, "MmPerItem": 66 }""");

        var options = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment, ConfigUse.Slots);

        Assert.Equal(type, options.Slots[0].Sensor.Type);
    }

    [Theory]
    [InlineData("Hx712")]
    [InlineData("1")] // a number is not a name, though the enum has a 1
    [InlineData("Hx711,Nau7802")]
    [InlineData("")]
    public void An_unknown_sensor_type_is_one_problem_naming_key_and_file_and_nothing_else_of_the_block_is_judged(string text)
    {
        var path = Slot($$"""{ "Type": "{{text}}", "Gain": 7 }""");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Slots:0:Sensor:Type", problem.Key);
        Assert.Contains(
            $"{path}: Slots[A1].Sensor.Type: must be one of Simulated, Hx711, Nau7802, Ads1115, Vl53l1x (was \"{text}\")",
            e.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Median", SampleFilterKind.Median, "Short", Vl53l1xDistanceMode.Short)]
    [InlineData("trimmedmean", SampleFilterKind.TrimmedMean, "LONG", Vl53l1xDistanceMode.Long)]
    public void Filter_and_distance_mode_are_read_in_any_case(string filter, SampleFilterKind kind, string mode, Vl53l1xDistanceMode distance)
    {
        var path = Slot($$"""{ "Type": "Vl53l1x", "Filter": "{{filter}}", "DistanceMode": "{{mode}}", "EmptyDistanceMm": 600, "MmPerItem": 66 }""");

        var options = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment, ConfigUse.Slots);

        Assert.Equal((kind, distance), (options.Slots[0].Sensor.Filter, options.Slots[0].Sensor.DistanceMode));
    }

    [Theory]
    [InlineData("Filter", "Mean", "Median or TrimmedMean")]
    [InlineData("Filter", "0", "Median or TrimmedMean")] // a number is not a name
    [InlineData("DistanceMode", "Medium", "Short or Long")]
    [InlineData("DistanceMode", "1", "Short or Long")]
    public void Another_filter_or_distance_mode_is_refused_naming_key_and_file(string key, string text, string expected)
    {
        var path = Slot($$"""{ "Type": "Vl53l1x", "{{key}}": "{{text}}", "EmptyDistanceMm": 600, "MmPerItem": 66 }""");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains($"{path}: Slots[A1].Sensor.{key}: must be {expected} (was \"{text}\")", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shelf.telemetry.v1", TelemetrySchema.V1)]
    [InlineData("shelf.telemetry.v2", TelemetrySchema.V2)]
    [InlineData(null, TelemetrySchema.V2)]
    public void The_backlog_schema_is_read_into_its_type_with_v2_by_default(string? text, TelemetrySchema schema)
    {
        var json = _files.ValidJson();
        if (text is not null)
        {
            json = json.Replace(
                "\"Publish\": { \"IntervalMs\": 1000 }",
                $"\"Publish\": {{ \"IntervalMs\": 1000, \"BacklogSchema\": \"{text}\" }}",
                StringComparison.Ordinal);
        }

        var options = AgentConfigLoader.Load(_files.Write(json), out _, ConfigFiles.NoEnvironment);

        Assert.Equal(schema, options.Publish.BacklogSchema);
        Assert.Equal(text ?? "shelf.telemetry.v2", TelemetrySchemas.Text(options.Publish.BacklogSchema));
    }

    [Theory]
    [InlineData("SHELF.TELEMETRY.V1")] // schema ids are exact, in agent.json as on the wire
    [InlineData("v2")]
    public void Another_backlog_schema_is_refused_naming_key_and_file(string text)
    {
        var path = _files.Write(_files.ValidJson().Replace(
            "\"Publish\": { \"IntervalMs\": 1000 }",
            $"\"Publish\": {{ \"IntervalMs\": 1000, \"BacklogSchema\": \"{text}\" }}",
            StringComparison.Ordinal));

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains(
            $"{path}: Publish:BacklogSchema: must be shelf.telemetry.v1 or shelf.telemetry.v2 (was \"{text}\")",
            e.Message,
            StringComparison.Ordinal);
    }

    private string WithPublish(string extra) => _files.Write(_files.ValidJson().Replace(
        "\"Publish\": { \"IntervalMs\": 1000 }",
        $"\"Publish\": {{ \"IntervalMs\": 1000, {extra} }}",
        StringComparison.Ordinal));

    [Theory]
    [InlineData("shelf.telemetry.v1", TelemetrySchema.V1)]
    [InlineData("shelf.telemetry.v2", TelemetrySchema.V2)]
    public void The_live_schema_is_read_into_its_type_with_v2_by_default(string text, TelemetrySchema schema)
    {
        var options = AgentConfigLoader.Load(WithPublish($"\"LiveSchema\": \"{text}\""), out _, ConfigFiles.NoEnvironment);
        var defaults = AgentConfigLoader.Load(_files.Write(_files.ValidJson()), out _, ConfigFiles.NoEnvironment);

        Assert.Equal(schema, options.Publish.LiveSchema);
        Assert.Equal(TelemetrySchema.V2, defaults.Publish.LiveSchema);
    }

    [Fact]
    public void Another_live_schema_is_refused_naming_key_and_file()
    {
        var path = WithPublish("\"LiveSchema\": \"v1\"");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains($"{path}: Publish:LiveSchema: must be shelf.telemetry.v1 or shelf.telemetry.v2 (was \"v1\")", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "shelfagent_dev_telemetry")]
    [InlineData("\"shelfagent_prod_telemetry\"", "shelfagent_prod_telemetry")]
    [InlineData("\"\"", "")]
    public void The_basic_ingest_rule_is_the_dev_stages_telemetry_rule_by_default_and_empty_turns_it_off(string? json, string rule)
    {
        var path = json is null ? _files.Write(_files.ValidJson()) : WithPublish($"\"BasicIngestRule\": {json}");

        var options = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment);

        Assert.Equal(rule, options.Publish.BasicIngestRule);
    }

    [Fact]
    public void A_basic_ingest_rule_that_is_no_rule_name_is_refused_naming_key_and_file()
    {
        var path = WithPublish("\"BasicIngestRule\": \"shelf/telemetry\"");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains($"{path}: Publish:BasicIngestRule: must be an AWS IoT rule name", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public void Minute_summaries_are_spread_over_the_minute_by_default(string? json, bool spread)
    {
        var path = json is null ? _files.Write(_files.ValidJson()) : WithPublish($"\"SpreadSummaries\": {json}");

        var options = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment);

        Assert.Equal(spread, options.Publish.SpreadSummaries);
    }

    [Fact]
    public void A_spread_that_is_not_true_or_false_is_refused_naming_key_and_file()
    {
        var path = WithPublish("\"SpreadSummaries\": \"sometimes\"");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains($"{path}: Publish:SpreadSummaries: must be true or false (was \"sometimes\")", e.Message, StringComparison.Ordinal);
    }
}
