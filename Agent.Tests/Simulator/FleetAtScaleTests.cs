using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Simulator;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Tests.Integration;

namespace ShelfAgent.Tests.Simulator;

/// <summary>
/// The fleet at a size a unit test can afford (200 devices): each device its own certificate, client id = thing name and
/// outbox, against mosquitto with the per-thing ACL the simulator's own broker has. The 10,000-device run is a benchmark
/// (Bench/fleet-scale.sh, docs/benchmarks.md), not a test.
/// </summary>
[Collection(Collection)]
public sealed class FleetAtScaleTests
{
    /// <summary>Fleets of 200 run one after another: together they would measure the machine, not the simulator.</summary>
    public const string Collection = "simulator fleets";

    private const int Devices = 200;

    [Fact]
    public async Task Two_hundred_devices_with_their_own_identities_publish_valid_payloads_through_a_per_thing_acl()
    {
        // Each device may write its own topics only (%u = its certificate's CN); the test's subscriber reads them all.
        await using var env = await IntegrationEnvironment.StartAsync(new()
        {
            Acl = [.. FleetBroker.PerThingAcl, "pattern read dt/shelf/#", "pattern read $aws/rules/+/dt/shelf/#"],
        });
        var sub = await env.SubscribeAsync("dt/shelf/#");
        var fleet = Fleet(env, Devices, TimeSpan.FromSeconds(30)) with { Broker = BrokerMode.Mosquitto };
        using var output = new StringWriter();

        var code = await ShelfAgent.Simulator.Fleet.RunOnAsync(fleet, FleetBroker.On(env.Broker), NullLoggerFactory.Instance, output, CancellationToken.None);

        Assert.True(code == 0, output.ToString());
        using var report = Report(fleet);
        var delivered = report.RootElement.GetProperty("readings_delivered").GetInt64();
        await env.UntilAsync(() => DistinctReadings(sub) >= delivered, $"the subscriber has all {delivered} readings acknowledged");
        var things = Telemetry(sub).Select(m => Thing(m.Topic)).Distinct().ToList();
        Assert.Equal(Devices, things.Count);
        Assert.Equal(Devices, report.RootElement.GetProperty("devices").GetInt32());
        var payloads = sub.Payloads("/telemetry");
        var v1 = payloads.Where(p => p.Contains("\"shelf.telemetry.v1\"", StringComparison.Ordinal)).ToList();
        var v2 = payloads.Where(p => p.Contains("\"shelf.telemetry.v2\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(payloads.Count, v1.Count + v2.Count);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", v1));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json", v2));
        // Every payload names the thing whose topic it came on: the identity, the client id and the data agree.
        Assert.All(Telemetry(sub), m => Assert.Contains($"\"thing\":\"{Thing(m.Topic)}\"", m.Payload, StringComparison.Ordinal));
    }

    /// <summary>A fleet of <paramref name="devices"/> on the environment's broker, real time, in-memory outboxes, a report.</summary>
    internal static FleetOptions Fleet(IntegrationEnvironment env, int devices, TimeSpan duration) => new()
    {
        Stores = devices / 2,
        DevicesPerStore = 2,
        SlotsPerDevice = 6,
        WorkDirectory = env.Folder,
        CertsDirectory = env.Broker.Directory,
        Duration = duration,
        TimeScale = 1,
        SamplingMs = 5000,
        InMemoryOutbox = true,
        ReportDirectory = env.File("report"),
    };

    internal static JsonDocument Report(FleetOptions fleet) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(fleet.ReportDirectory!, "report.json")));

    /// <summary>200 devices through the environment's local IoT Core, shadow on, one rehearsal: the report and the console output.</summary>
    internal static async Task<(JsonDocument Report, string Output)> RehearseAsync(IntegrationEnvironment env, string rehearsal)
    {
        var fleet = Fleet(env, 200, TimeSpan.FromSeconds(5)) with { Broker = BrokerMode.LocalIotCore, Shadow = true, Rehearsals = [rehearsal] };
        using var output = new StringWriter();
        var code = await ShelfAgent.Simulator.Fleet.RunOnAsync(fleet, FleetBroker.On(env.IotCore), NullLoggerFactory.Instance, output, CancellationToken.None);
        Assert.True(code == 0, output.ToString());
        return (Report(fleet), output.ToString());
    }

    internal static IEnumerable<(string Topic, string Payload)> Telemetry(MosquittoSubscriber sub) =>
        sub.Messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal));

    /// <summary>dt/shelf/{store}/{thing}/telemetry.</summary>
    internal static string Thing(string topic) => topic.Split('/')[3];

    /// <summary>Readings received, each (thing, seq) once (QoS 1 may deliver a batch twice after an outage).</summary>
    internal static long DistinctReadings(MosquittoSubscriber sub) =>
        Telemetry(sub).GroupBy(m => Thing(m.Topic)).Sum(g => (long)TelemetryLog.Seqs(g).Distinct().Count());
}
