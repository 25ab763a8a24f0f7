namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The retained status after a clean stop (SIGTERM, as systemd stops the unit): the agent says
/// <c>{"online":false,"ts":…}</c> itself before its orderly DISCONNECT (which makes the broker discard the will), so a
/// device that was stopped reads as offline, not as live, and the time tells a stop from a vanishing (the will has none).
/// </summary>
public sealed class OfflineStatusTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task A_clean_stop_leaves_the_retained_status_offline_with_the_time_of_the_stop()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        var device = await env.DeviceAsync("shelf-offline-01", c => c.Slots(1));
        var status = device.Topic("status");
        var watcher = await env.SubscribeAsync(status);

        var agent = env.StartAgent(device);
        await env.UntilAsync(() => watcher.Messages.Any(x => x.Payload.StartsWith("{\"online\":true", StringComparison.Ordinal)), "the agent said online");
        await agent.StopAsync();
        Assert.True(agent.ExitCode == 0, agent.Output);
        Assert.Contains("Published online:false (retained)", agent.Output, StringComparison.Ordinal);

        // What a subscriber arriving later is handed: the retained message, now the offline one with its time.
        var later = await env.SubscribeAsync(status);
        await env.UntilAsync(() => later.Messages.Count > 0, "the retained status reached a later subscriber");
        var (topic, payload) = later.Messages.First();
        Assert.Equal(status, topic);
        Assert.StartsWith("{\"online\":false,\"ts\":\"", payload, StringComparison.Ordinal);
        await env.UntilAsync(
            () => watcher.Messages.Last().Payload.StartsWith("{\"online\":false,\"ts\":", StringComparison.Ordinal),
            "the watcher saw the offline status last");
    }
}
