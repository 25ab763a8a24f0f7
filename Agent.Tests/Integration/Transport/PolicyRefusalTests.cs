namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>
/// The broker's policy refuses the telemetry topic (a mosquitto ACL, as an AWS IoT policy would): over MQTT 5 the
/// agent reads PUBACK reason 0x87, says so once with the hint, keeps every reading and stays up.
/// </summary>
public sealed class PolicyRefusalTests
{
    [Fact]
    public async Task A_denied_telemetry_topic_is_logged_as_not_authorized_with_the_hint_and_the_readings_stay_buffered()
    {
        // Status and events may be written; telemetry may not. The device's own $aws/things topics (jobs, shadow) are
        // granted as the Cloud's device policies grant them, so only the telemetry refusal is under test.
        await using var env = await IntegrationEnvironment.StartAsync(new()
        {
            Acl =
            [
                "pattern write dt/shelf/+/%u/status",
                "pattern write dt/shelf/+/%u/events",
                "pattern write dt/shelf/+/%u/alerts",
                "pattern readwrite $aws/things/%u/#",
                "pattern read #",
            ],
        });
        var device = await env.DeviceAsync("shelf-acl-01", c => c.Slots(2), store: "store-1");

        var agent = env.StartAgent(device);

        // The signal: after the refusal the agent keeps coming back, backing off between connections (at least three
        // connections); a bounded wait, not a fixed one. mosquitto closes the connection right after its PUBACK 0x87, so
        // on a later connection the close can reach the client before the PUBACK does: that refusal then shows as the
        // connection ending, not as a second "not authorized" line, and is not counted on.
        await agent.WaitForAsync(() => agent.CountOf("MQTT connected to") >= 3, "the agent connected three times", TimeSpan.FromSeconds(90));
        Assert.False(agent.HasExited, agent.Output);
        Assert.Contains("not authorized (0x87)", agent.Output, StringComparison.Ordinal);
        Assert.Contains("iot:Publish", agent.Output, StringComparison.Ordinal);
        // Logged once per reason, not once per refused batch.
        Assert.True(agent.CountOf("telemetry: not authorized (0x87). The readings stay buffered") == 1, agent.Output);
        await agent.StopAsync();
        var (code, stats) = await AgentProcess.RunAsync("buffer", "stats", "--path", device.Outbox, "--json");
        Assert.Equal(0, code);
        Assert.Matches("\"(live|backlog)\":[1-9]", stats);
    }
}
