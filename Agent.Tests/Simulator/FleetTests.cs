using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Simulator;
using ShelfAgent.Tests.Integration;

namespace ShelfAgent.Tests.Simulator;

[Collection(FleetAtScaleTests.Collection)]
public sealed class FleetTests
{
    [Fact]
    public async Task Every_virtual_device_delivers_telemetry_through_the_agent_pipeline_to_a_real_broker()
    {
        await using var env = await IntegrationEnvironment.StartAsync();
        var sub = await env.SubscribeAsync("dt/shelf/#");
        var fleet = new FleetOptions
        {
            Stores = 2,
            DevicesPerStore = 2,
            SlotsPerDevice = 3,
            Host = "127.0.0.1",
            Port = env.Broker.Port,
            CertsDirectory = env.Broker.Directory, // the broker's CA (ca.crt + ca.key) issues each device's certificate
            WorkDirectory = env.Folder,
            Duration = TimeSpan.FromSeconds(4),
            TimeScale = 600,
            SamplingMs = 60_000,
            // Sent within a tenth of the live window (60 s of shop time): live data, not backlog, on a busy machine too.
            PublishMs = 6_000,
        };
        using var report = new StringWriter();

        var code = await ShelfAgent.Simulator.Fleet.RunAsync(fleet, NullLoggerFactory.Instance, report, CancellationToken.None);

        Assert.Equal(0, code);
        var things = sub.Payloads("/telemetry").Count > 0
            ? sub.Messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)).Select(m => m.Topic.Split('/')[3]).Distinct().Order().ToList()
            : [];
        Assert.Equal(new[] { "sim-0001-01", "sim-0001-02", "sim-0002-01", "sim-0002-02" }, things);
        Assert.Contains("delivered (PUBACK)", report.ToString(), StringComparison.Ordinal);
        // Live data and backlog both go as v2 under the agent's defaults (Publish:LiveSchema, Publish:BacklogSchema).
        var payloads = sub.Payloads("/telemetry");
        var v2 = payloads.Where(p => p.Contains("\"shelf.telemetry.v2\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(payloads.Count, v2.Count);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json", v2));
    }
}
