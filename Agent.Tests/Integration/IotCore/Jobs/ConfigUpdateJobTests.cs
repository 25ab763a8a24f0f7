using ShelfAgent.LocalIot.Jobs;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>config-update with the real agent against the local AWS IoT Core (issue 14, "Jobs").</summary>
public sealed class ConfigUpdateJobTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_valid_change_is_applied_without_a_restart_persisted_and_reported()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-cfg-01");
        var agent = device.StartAgent();
        await device.CreateJobAsync("job-cfg", """{"operation":"config-update","changes":{"Sampling":{"IntervalMs":750},"Slots":{"S1":{"LowStockAt":6}}}}""");

        var done = await device.WaitForEndAsync("job-cfg", agent);

        Assert.True(done.Status == JobExecutionStatus.Succeeded, string.Join(", ", done.StatusDetails) + agent.Output);
        Assert.Equal("Sampling:IntervalMs, Slots:S1:LowStockAt", done.StatusDetails["applied"]);
        Assert.Contains("Configuration from Job applied: Sampling:IntervalMs, Slots:S1:LowStockAt", agent.Output, StringComparison.Ordinal);
        Assert.Contains("\"IntervalMs\"", await File.ReadAllTextAsync(device.Device.File("desired-config.json")), StringComparison.Ordinal);
        // Merged into agent.json itself (docs/jobs.md), numbers as numbers, the slot found by its id.
        using (var file = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(device.Config)))
        {
            Assert.Equal(750, file.RootElement.GetProperty("Sampling").GetProperty("IntervalMs").GetInt32());
            var slot = file.RootElement.GetProperty("Slots").EnumerateArray().Single(e => e.GetProperty("Id").GetString() == "S1");
            Assert.Equal(6, slot.GetProperty("LowStockAt").GetInt32());
        }

        Assert.Contains("Configuration from a job merged into", agent.Output, StringComparison.Ordinal);
        // Applied in the running process (the runtime configuration hands it to sampling and the stock pipeline): no restart.
        Assert.False(agent.HasExited);
        Assert.Single(agent.Output.Split('\n'), l => l.Contains("starting: thing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_value_is_refused_with_the_key_and_agent_json_s_reason_and_the_job_fails()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-cfg-02");
        var agent = device.StartAgent();
        var before = await File.ReadAllTextAsync(device.Config);
        await device.CreateJobAsync("job-bad", """{"operation":"config-update","changes":{"Sampling":{"IntervalMs":-5}}}""");

        var done = await device.WaitForEndAsync("job-bad", agent);

        Assert.Equal(JobExecutionStatus.Failed, done.Status);
        Assert.Equal("1 of 1 keys refused", done.StatusDetails["reason"]);
        Assert.True(done.StatusDetails.ContainsKey("Sampling:IntervalMs"), string.Join(", ", done.StatusDetails));
        Assert.Equal("none", done.StatusDetails["applied"]);
        Assert.Equal(before, await File.ReadAllTextAsync(device.Config));
    }
}
