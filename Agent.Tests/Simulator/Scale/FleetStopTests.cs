using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Tests.Integration;

namespace ShelfAgent.Tests.Simulator.Scale;

[Collection(FleetAtScaleTests.Collection)]
public sealed class FleetStopTests
{
    private const int Devices = 200;

    [Fact]
    public async Task Stops_every_host_of_a_fleet_within_the_agents_shutdown_timeout_with_a_clean_goodbye()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new()
        {
            Acl = [.. FleetBroker.PerThingAcl, "pattern read dt/shelf/#", "pattern read $aws/rules/+/dt/shelf/#"],
        });
        var sub = await env.SubscribeAsync("dt/shelf/#");
        var fleet = FleetAtScaleTests.Fleet(env, Devices, TimeSpan.FromSeconds(20)) with { Broker = BrokerMode.Mosquitto };
        using var output = new StringWriter();

        var code = await ShelfAgent.Simulator.Fleet.RunOnAsync(fleet, FleetBroker.On(env.Broker), NullLoggerFactory.Instance, output, CancellationToken.None);

        var said = output.ToString();
        Assert.True(code == 0, said);
        using var report = FleetAtScaleTests.Report(fleet);
        Assert.False(report.RootElement.GetProperty("errors").TryGetProperty("stop-timeout", out _), said);
        Assert.Contains($"stopped {Devices} hosts in", said, StringComparison.Ordinal);
        Assert.Contains("; 0 past the agent's 10 s shutdown timeout", said, StringComparison.Ordinal);
        // Every host stopped as the agent stops: its last word on the retained status topic is the clean stop's
        // online:false with a time (the broker's will has none), published before its DISCONNECT.
        await env.UntilAsync(
            () => OfflineWithTime(sub) == Devices,
            $"all {Devices} devices said online:false before disconnecting",
            diagnostic: () => $"{OfflineWithTime(sub)} did\n{said}");
    }

    // The last status each thing published, when it is the clean stop's.
    private static int OfflineWithTime(MosquittoSubscriber sub) =>
        sub.Messages.Where(m => m.Topic.EndsWith("/status", StringComparison.Ordinal))
            .GroupBy(m => FleetAtScaleTests.Thing(m.Topic))
            .Count(g => g.Last().Payload.Contains("\"online\":false,\"ts\":", StringComparison.Ordinal));
}
