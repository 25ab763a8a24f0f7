namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The retained status after a clean stop (SIGTERM, as systemd stops the unit): the agent says <c>{"online":false}</c>
/// itself before its orderly DISCONNECT (which makes the broker discard the will), so a device that was stopped reads as
/// offline, not as live.
/// </summary>
public sealed class OfflineStatusTests
{
    [Fact]
    public async Task A_clean_stop_leaves_the_retained_status_offline()
    {
        using var dir = new TempDirectory("offline-status");
        await using var broker = await MosquittoBroker.StartAsync();
        var (cert, key) = broker.IssueDevice("shelf-offline-01");
        var config = AgentConfigFile.Write(dir.File("agent.json"), broker, "shelf-offline-01", "store-9", cert, key, dir.File("outbox.db"), slots: 1);
        const string status = "dt/shelf/store-9/shelf-offline-01/status";
        await using var watcher = await MosquittoSubscriber.StartAsync(broker, status, "status-watcher");

        await using (var agent = AgentProcess.Start("run", "--config", config))
        {
            Assert.True(await watcher.WaitUntilAsync(m => m.Any(x => x.Payload.StartsWith("{\"online\":true", StringComparison.Ordinal)), TimeSpan.FromSeconds(60)), agent.Output);
            await agent.StopAsync();
            Assert.True(agent.ExitCode == 0, agent.Output);
            Assert.Contains("Published online:false (retained)", agent.Output, StringComparison.Ordinal);
        }

        // What a subscriber arriving later is handed: the retained message, now the offline one.
        await using var later = await MosquittoSubscriber.StartAsync(broker, status, "status-reader");
        Assert.True(await later.WaitUntilAsync(m => m.Count > 0, TimeSpan.FromSeconds(30)), later.Errors);
        Assert.Equal((status, "{\"online\":false}"), later.Messages.First());
        Assert.True(await watcher.WaitUntilAsync(m => m.Last().Payload == "{\"online\":false}", TimeSpan.FromSeconds(30)), string.Join('\n', watcher.Messages));
    }
}
