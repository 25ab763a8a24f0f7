using ShelfAgent.Backtest;
using ShelfAgent.Config;
using ShelfAgent.Simulator.Traces;

namespace ShelfAgent.Tests.Simulator;

public sealed class TracesTests
{
    [Fact]
    public async Task Writes_export_format_readings_truth_and_a_config_per_device_deterministically()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var options = new TraceOptions { Stores = 3, Days = 2, SamplingSeconds = 60, Seed = 5 };

        Assert.Equal(0, await TraceWriter.RunAsync(options, a.Path, TextWriter.Null, CancellationToken.None));
        Assert.Equal(0, await TraceWriter.RunAsync(options, b.Path, TextWriter.Null, CancellationToken.None));

        var things = new[] { "sim-0001-01", "sim-0002-01", "sim-0003-01" };
        foreach (var thing in things)
        {
            var readings = await File.ReadAllLinesAsync(Path.Combine(a.Path, thing + ".readings.jsonl"));
            Assert.Equal(2 * 24 * 60 * 6, readings.Length);
            Assert.All(readings.Take(500), (line, i) => Assert.Equal(ReadingLineParser.Outcome.Reading, ReadingLineParser.Parse(line, i + 1, out _, out _)));
            var truth = await File.ReadAllTextAsync(Path.Combine(a.Path, thing + ".truth.jsonl"));
            Assert.Contains("\"type\":\"count\"", truth, StringComparison.Ordinal);
            Assert.Contains("\"type\":\"restock\"", truth, StringComparison.Ordinal);
            Assert.Equal(truth, await File.ReadAllTextAsync(Path.Combine(b.Path, thing + ".truth.jsonl")));
            var config = AgentConfigLoader.Load(
                Path.Combine(a.Path, thing + ".agent.json"), out _, new System.Collections.Hashtable(), use: ShelfAgent.Config.ConfigUse.Slots);
            Assert.Equal(thing, config.Device.ThingName);
            Assert.Equal(6, config.Slots.Count);
        }
    }

    [Fact]
    public void Kiosks_sell_nothing_at_weekends_and_peak_at_lunch()
    {
        Assert.Equal(0, Archetypes.Weight(StoreArchetype.Kiosk, DayOfWeek.Saturday, 12));
        var weekday = Enumerable.Range(0, 24).Select(h => Archetypes.Weight(StoreArchetype.Kiosk, DayOfWeek.Tuesday, h)).ToList();
        Assert.Equal(12, weekday.IndexOf(weekday.Max()));
        Assert.Equal(0, Archetypes.Weight(StoreArchetype.Convenience, DayOfWeek.Monday, 3));
    }
}
