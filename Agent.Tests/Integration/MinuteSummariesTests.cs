using System.Text.Json.Nodes;
using ShelfAgent.Outbox;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// The shipped <c>Publish:Readings</c> <c>summaries</c> (issue 21), end to end: the real agent publishes one reading per slot
/// per minute with its summary, picks go out at once, and the raw samples stay in its buffer.
/// </summary>
public sealed class MinuteSummariesTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task The_agent_publishes_one_summary_per_slot_per_minute_and_keeps_the_raw_samples()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var device = await env.DeviceAsync("shelf-minute-01", c => c.Set("Publish:Readings", "summaries"));
        var sub = await env.SubscribeAsync(device.Topic("#"));

        env.StartAgent(device);

        // A minute closes at the first sample of the next: the first (partial) one within a minute of start, a whole one a minute later;
        // each is published at this thing's second of the following minute (Publish:SpreadSummaries: :38 for shelf-minute-01).
        await env.UntilAsync(() => sub.Payloads(device.Topic("telemetry")).Count >= 2, "two minutes of summaries arrived", TimeSpan.FromSeconds(240));
        // Summaries go out as the live encoding says (Publish:LiveSchema, v2 by default); read as v1 for the fields.
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json", sub.Payloads(device.Topic("telemetry"))));
        var telemetry = sub.Payloads(device.Topic("telemetry")).Select(TelemetryLog.AsV1).ToList();
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", telemetry));
        var readings = telemetry.SelectMany(p => JsonNode.Parse(p)!["readings"]!.AsArray()).Select(r => r!).ToList();
        Assert.All(readings, r => Assert.True(r["summary"]!["n"]!.GetValue<int>() >= 1));
        // One reading per slot and minute: the minute's last sample (sampling every 100 ms: up to 600 samples each).
        var keys = readings.Select(r => (Slot: r["slot"]!.GetValue<string>(), Minute: r["ts"]!.GetValue<string>()[..16])).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.True(readings.Max(r => r["summary"]!["n"]!.GetValue<int>()) > 1);
        // Picks are not summarised: they are published as they happen.
        await env.UntilAsync(() => sub.Payloads(device.Topic("events")).Count >= 1, "a pick arrived");

        var raw = 0;
        await foreach (var _ in SqliteOutbox.ExportRawAsync(device.Outbox, [], DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1),
            CancellationToken.None))
        {
            raw++;
        }

        Assert.True(raw > readings.Count, $"{raw} raw samples kept for {readings.Count} published summaries");
    }
}
