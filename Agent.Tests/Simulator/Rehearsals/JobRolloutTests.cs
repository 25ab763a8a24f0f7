using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Simulator.Scale;
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
        var fleet = Fleet(env, 200, TimeSpan.FromSeconds(5)) with
        {
            Broker = BrokerMode.LocalIotCore,
            Shadow = true,
            Rehearsals = ["job"],
        };
        using var output = new StringWriter();

        var code = await ShelfAgent.Simulator.Fleet.RunOnAsync(fleet, FleetBroker.On(env.IotCore), NullLoggerFactory.Instance, output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        using var report = Report(fleet);
        var job = report.RootElement.GetProperty("rehearsals")[0];
        Assert.Equal("job", job.GetProperty("name").GetString());
        Assert.True(job.GetProperty("figures").GetProperty("succeeded").GetDouble() == 200, output.ToString());
        Assert.Equal(JsonValueKind.Number, job.GetProperty("figures").GetProperty("seconds_to_99pct_succeeded").ValueKind);
        Assert.Empty(job.GetProperty("failures_by_reason").EnumerateObject());
        Assert.Empty(env.IotCore.Faults);
        // The agent's own jobs client applied it: every device publishes every 2 s now, as the default document asks.
        Assert.Contains("99 % SUCCEEDED in", output.ToString(), StringComparison.Ordinal);
    }
}
