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
            // Sent within a tenth of the live window (60 s of shop time), so a busy machine still sends live data as v1.
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
        // Live data is v1; readings older than the live window (the shop clock runs 600× here) drain as v2.
        var payloads = sub.Payloads("/telemetry");
        var v1 = payloads.Where(p => p.Contains("\"shelf.telemetry.v1\"", StringComparison.Ordinal)).ToList();
        var v2 = payloads.Where(p => p.Contains("\"shelf.telemetry.v2\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(payloads.Count, v1.Count + v2.Count);
        Assert.NotEmpty(v1);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", v1));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json", v2));
    }
}
