using System.Text.Json;
using ShelfAgent.Tests.Integration;
using static ShelfAgent.Tests.Simulator.FleetAtScaleTests;

namespace ShelfAgent.Tests.Simulator.Rehearsals;

[Collection(Collection)]
public sealed class ShadowChangeTests
{
    [Fact]
    public async Task A_desired_key_set_for_two_hundred_things_is_reported_by_every_one_through_the_local_iot_core()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var (rehearsed, output) = await RehearseAsync(env, "shadow");
        using var report = rehearsed;
        var shadow = report.RootElement.GetProperty("rehearsals")[0];
        Assert.Equal("shadow", shadow.GetProperty("name").GetString());
        var figures = shadow.GetProperty("figures");
        Assert.True(figures.GetProperty("reported").GetDouble() == 200, output);
        Assert.Equal(JsonValueKind.Number, figures.GetProperty("seconds_to_99pct_reported").ValueKind);
        Assert.True(figures.GetProperty("seconds_to_99pct_reported").GetDouble() <= figures.GetProperty("seconds_to_100pct_reported").GetDouble());
        Assert.Empty(shadow.GetProperty("failures_by_reason").EnumerateObject());
        Assert.Empty(env.IotCore.Faults);
        // The agent's own shadow service applied it: each thing's reported state in the local IoT Core holds the new value.
        var value = JsonDocument.Parse(env.IotCore.Shadow("sim-0001-01")!.ToJsonString()).RootElement
            .GetProperty("state").GetProperty("desired").GetProperty("Publish").GetProperty("IntervalMs").GetInt32();
        Assert.All(
            Enumerable.Range(1, 100).SelectMany(s => new[] { $"sim-{s:D4}-01", $"sim-{s:D4}-02" }),
            thing => Assert.Equal(value, env.IotCore.Shadow(thing)!["state"]!["reported"]!["Publish"]!["IntervalMs"]!.GetValue<int>()));
        Assert.Contains("99 % reported it in", output, StringComparison.Ordinal);
    }
}
