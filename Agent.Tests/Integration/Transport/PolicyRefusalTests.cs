using ShelfAgent.LocalIot.Broker;


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
        using var dir = new TempDirectory("acl");
        // Status and events may be written; telemetry may not. The device's own $aws/things topics (jobs, shadow) are
        // granted as the Cloud's device policies grant them, so only the telemetry refusal is under test.
        var acl = dir.File("acl");
        await File.WriteAllTextAsync(acl, "pattern write dt/shelf/+/%u/status\npattern write dt/shelf/+/%u/events\npattern write dt/shelf/+/%u/alerts\npattern readwrite $aws/things/%u/#\npattern read #\n");
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { AclFile = acl });
        var (cert, key) = broker.IssueDevice("shelf-acl-01");
        var outbox = dir.File("outbox.db");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-acl-01", "store-1", cert, key, outbox, slots: 2, samplingMs: 100, publishMs: 200);

        await using var agent = AgentProcess.Start("run", "--config", config);
        // The signal: after the refusal the agent keeps coming back, backing off between connections (at least three
        // connections); a bounded wait, not a fixed one. mosquitto closes the connection right after its PUBACK 0x87, so
        // on a later connection the close can reach the client before the PUBACK does: that refusal then shows as the
        // connection ending, not as a second "not authorized" line, and is not counted on.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (CountOf(agent.Output, "MQTT connected to") < 3 && DateTime.UtcNow < deadline && !agent.HasExited)
        {
            await Task.Delay(100);
        }

        Assert.True(CountOf(agent.Output, "MQTT connected to") >= 3, agent.Output);
        Assert.False(agent.HasExited, agent.Output);
        Assert.Contains("not authorized (0x87)", agent.Output, StringComparison.Ordinal);
        Assert.Contains("iot:Publish", agent.Output, StringComparison.Ordinal);
        // Logged once per reason, not once per refused batch.
        Assert.True(CountOf(agent.Output, "telemetry: not authorized (0x87). The readings stay buffered") == 1, agent.Output);
        await agent.StopAsync();
        var (code, stats) = await AgentProcess.RunAsync("buffer", "stats", "--path", outbox, "--json");
        Assert.Equal(0, code);
        Assert.Matches("\"(live|backlog)\":[1-9]", stats);
    }

    private static int CountOf(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
