using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Tests.Integration;
using static ShelfAgent.Tests.Simulator.FleetAtScaleTests;

namespace ShelfAgent.Tests.Simulator.Scale;

[Collection(Collection)]
public sealed class NetworkDropoutTests
{
    [Fact]
    public async Task A_quarter_of_the_fleet_loses_its_network_reconnects_with_backoff_and_loses_no_reading_while_the_rest_stays_connected()
    {
        await using var env = await IntegrationEnvironment.StartAsync(
            new() { Acl = [.. FleetBroker.PerThingAcl, "pattern read dt/shelf/#", "pattern read $aws/rules/+/dt/shelf/#"] });
        var sub = await env.SubscribeAsync("dt/shelf/#");
        var fleet = Fleet(env, 100, TimeSpan.FromSeconds(75)) with // room for the reconnect backoff (up to Mqtt:ReconnectMaxDelay)
        {
            Broker = BrokerMode.Mosquitto,
            Faults = new FaultPlan { DropoutFraction = 0.25, DropoutAt = 12, DropoutDuration = TimeSpan.FromSeconds(6) },
        };
        using var output = new StringWriter();

        var code = await ShelfAgent.Simulator.Fleet.RunOnAsync(fleet, FleetBroker.On(env.Broker), NullLoggerFactory.Instance, output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        using var report = Report(fleet);
        var root = report.RootElement;
        var dropout = root.GetProperty("rehearsals").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "dropout");
        var figures = dropout.GetProperty("figures");
        Assert.Equal(25, figures.GetProperty("devices_dropped").GetDouble());
        // The dropped devices' connections were cut (all 25 when all were up by then) and every one came back.
        var cut = figures.GetProperty("connections_cut").GetDouble();
        Assert.True(cut >= figures.GetProperty("connected_when_dropped").GetDouble() && cut is > 0 and <= 25, output.ToString());
        Assert.True(figures.GetProperty("seconds_to_all_reconnected_after_network_back").ValueKind == JsonValueKind.Number, output.ToString());
        // Only dropped devices lost a connection; the other 75 stayed up throughout.
        var lost = dropout.GetProperty("failures_by_reason").GetProperty("connection-lost").GetInt64();
        Assert.InRange(lost, 1, 25);
        Assert.Equal(lost, root.GetProperty("errors").GetProperty("connection-lost").GetInt64());
        // No reading lost: every device's sequence has no gap, and the subscriber has every reading acknowledged.
        var delivered = root.GetProperty("readings_delivered").GetInt64();
        await env.UntilAsync(() => DistinctReadings(sub) >= delivered, $"the subscriber has all {delivered} readings acknowledged");
        var gaps = Telemetry(sub).GroupBy(m => Thing(m.Topic)).Where(g => TelemetryLog.Gaps(TelemetryLog.Seqs(g)).Count > 0).Select(g => g.Key).ToList();
        Assert.Empty(gaps);
        Assert.Equal(100, Telemetry(sub).Select(m => Thing(m.Topic)).Distinct().Count());
    }
}
