using System.Text.Json;
using ShelfAgent.Tests.Integration;
using static ShelfAgent.Tests.Simulator.FleetAtScaleTests;

namespace ShelfAgent.Tests.Simulator.Rehearsals;

[Collection(Collection)]
public sealed class JobRolloutTests
{
    [Fact]
    public async Task A_config_update_job_to_two_hundred_devices_succeeds_on_every_one_through_the_local_iot_core()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() });
        var (rehearsed, output) = await RehearseAsync(env, "job");
        using var report = rehearsed;
        var job = report.RootElement.GetProperty("rehearsals")[0];
        Assert.Equal("job", job.GetProperty("name").GetString());
        Assert.True(job.GetProperty("figures").GetProperty("succeeded").GetDouble() == 200, output);
        Assert.Equal(JsonValueKind.Number, job.GetProperty("figures").GetProperty("seconds_to_99pct_succeeded").ValueKind);
        Assert.Empty(job.GetProperty("failures_by_reason").EnumerateObject());
        Assert.Empty(env.IotCore.Faults);
        // The agent's own jobs client applied it: every device publishes every 2 s now, as the default document asks.
        Assert.Contains("99 % SUCCEEDED in", output, StringComparison.Ordinal);
    }
}
