using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Tests.Integration;
using static ShelfAgent.Tests.Simulator.FleetAtScaleTests;

namespace ShelfAgent.Tests.Simulator.Rehearsals;

[Collection(Collection)]
public sealed class ReconnectStormTests
{
    [Fact]
    public async Task The_fleet_ramps_and_reconnects_after_a_broker_outage_within_the_connect_rate_without_losing_a_reading()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new()
        {
            Acl = [.. FleetBroker.PerThingAcl, "pattern read dt/shelf/#", "pattern read $aws/rules/+/dt/shelf/#"],
        });
        var sub = await env.SubscribeAsync("dt/shelf/#");
        const int rate = 40;
        var fleet = Fleet(env, 200, TimeSpan.FromSeconds(5)) with
        {
            Broker = BrokerMode.Mosquitto,
            ConnectRate = rate,
            Rehearsals = ["reconnect-storm"],
            Outage = TimeSpan.FromSeconds(4),
        };
        using var output = new StringWriter();

        var code = await ShelfAgent.Simulator.Fleet.RunOnAsync(fleet, FleetBroker.On(env.Broker), NullLoggerFactory.Instance, output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        using var report = Report(fleet);
        var root = report.RootElement;
        var storm = root.GetProperty("rehearsals")[0].GetProperty("figures");
        // The ramp: the whole fleet connected, never more attempts in any one second than the rate lets through (+1: a
        // span of one second holds rate + 1 attempts spaced 1/rate apart).
        Assert.NotEqual(JsonValueKind.Null, root.GetProperty("seconds_to_connect_fleet").ValueKind);
        Assert.InRange(root.GetProperty("peak_connect_attempts_in_one_second").GetInt32(), 1, rate + 1);
        // The storm: every device connected again, within the rate, and the backlog drained.
        Assert.True(storm.GetProperty("seconds_to_all_connected_after_restart").ValueKind == JsonValueKind.Number, output.ToString());
        Assert.InRange(storm.GetProperty("peak_connect_attempts_in_one_second").GetDouble(), 1, rate + 1);
        Assert.True(storm.GetProperty("seconds_to_backlog_drained_after_restart").ValueKind == JsonValueKind.Number, output.ToString());
        Assert.True(storm.GetProperty("readings_buffered_peak").GetDouble() > 0, "readings were buffered during the outage");
        // No reading lost: every device's sequence has no gap, and the subscriber has every reading acknowledged.
        var delivered = root.GetProperty("readings_delivered").GetInt64();
        await env.UntilAsync(() => DistinctReadings(sub) >= delivered, $"the subscriber has all {delivered} readings acknowledged");
        var gaps = Telemetry(sub).GroupBy(m => Thing(m.Topic)).Where(g => TelemetryLog.Gaps(TelemetryLog.Seqs(g)).Count > 0).Select(g => g.Key).ToList();
        Assert.Empty(gaps);
        Assert.Equal(200, Telemetry(sub).Select(m => Thing(m.Topic)).Distinct().Count());
    }
}
