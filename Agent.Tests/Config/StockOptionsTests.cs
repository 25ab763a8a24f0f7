using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Config;

public sealed class StockOptionsTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string WithStock(string stock)
        => _files.Write(_files.ValidJson().TrimEnd().TrimEnd('}') + $$""", "Stock": {{{stock}}} }""");

    [Fact]
    public void Defaults_are_180_minutes_0_8_and_15_minutes_with_the_demand_file_beside_the_buffer()
    {
        var o = AgentConfigLoader.Load(_files.Write(_files.ValidJson()), out var warnings, ConfigFiles.NoEnvironment);

        Assert.Empty(warnings);
        Assert.Equal((180, 0.8, 15), (o.Stock.PredictHorizonMinutes, o.Stock.PredictConfidence, o.Stock.ForecastIntervalMinutes));
        Assert.Null(o.Stock.ProfilesPath);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o.Buffer.Path))!, "demand.json"), o.Stock.DemandFile(o.Buffer.Path));
    }

    [Fact]
    public void Reads_every_key_and_the_profiles_file()
    {
        var profile = new DemandProfile("store-0042", "shelf-0042-01", "A1", "COLA-355", DateTimeOffset.UnixEpoch, 6, Enumerable.Repeat(2.5, 168).ToArray());
        var profiles = _files.Write(System.Text.Encoding.UTF8.GetString(DemandProfileEncoder.Encode(profile)) + "\n", "profiles.jsonl");

        var o = AgentConfigLoader.Load(WithStock($$"""
            "PredictHorizonMinutes": 90, "PredictConfidence": 0.9, "ForecastIntervalMinutes": 30,
            "DemandPath": "/tmp/x/demand.json", "ProfilesPath": "{{profiles}}"
            """), out var warnings, ConfigFiles.NoEnvironment);

        Assert.Empty(warnings);
        Assert.Equal(
            (90, 0.9, 30, "/tmp/x/demand.json"),
            (o.Stock.PredictHorizonMinutes, o.Stock.PredictConfidence, o.Stock.ForecastIntervalMinutes, o.Stock.DemandPath));
        Assert.Equal(2.5, Assert.Single(o.Stock.Profiles).PicksPerHour[100]);
        Assert.Equal(TimeSpan.FromMinutes(90), o.Stock.Settings.Horizon);
    }

    [Fact]
    public void Names_each_bad_key_and_the_file()
    {
        var path = WithStock("""
            "PredictHorizonMinutes": 0, "PredictConfidence": "sure", "ForecastIntervalMinutes": 7, "ProfilesPath": "/nonexistent/profiles.jsonl"
            """);

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Equal(
            new[] { "Stock:ForecastIntervalMinutes", "Stock:PredictConfidence", "Stock:PredictHorizonMinutes", "Stock:ProfilesPath" },
            e.Problems.Select(p => p.Key).Order());
        Assert.All(e.Message.Split('\n').Skip(1), line => Assert.Contains(path, line, StringComparison.Ordinal));
        Assert.Contains("file not found: /nonexistent/profiles.jsonl", e.Message, StringComparison.Ordinal);
        Assert.Contains("must divide a day", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_profile_line_is_named_by_its_number()
    {
        var profiles = _files.Write("""
            {"schema":"shelf.profile.v1","store":"s","sku":"X","generated":"2026-11-22T03:00:00.000Z","weeks":1,"picksPerHour":[1,2,3]}
            """, "profiles.jsonl");

        var e = Assert.Throws<ConfigException>(
            () => AgentConfigLoader.Load(WithStock($$""" "ProfilesPath": "{{profiles}}" """), out _, ConfigFiles.NoEnvironment));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Stock:ProfilesPath", problem.Key);
        Assert.Contains("line 1: picksPerHour must be an array of 168 numbers", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_loading_needs_no_mqtt_section()
    {
        var path = _files.Write("""
            { "Device": { "ThingName": "shelf-0042-01", "StoreId": "store-0042" },
              "Slots": [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } } ] }
            """);

        var o = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment, use: ShelfAgent.Config.ConfigUse.Slots);

        Assert.Single(o.Slots);
        Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));
    }
}
