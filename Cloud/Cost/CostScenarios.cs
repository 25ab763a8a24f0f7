using System.Globalization;
using System.Text;

namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// The levers of issue 21, each a <see cref="FleetProfile"/> the model prices: the stack before the issue, the agent as
/// round 2 left it (live v1 on the plain topic), the two device levers built since (live v2, Basic Ingest: together the
/// shipped defaults), then per-minute summaries, which need the agent change their name says.
/// </summary>
public static class CostScenarios
{
    /// <summary>The issue's target: dollars per device per month, all-in, at 10,000 devices × 24 slots.</summary>
    public const decimal TargetPerDevice = 0.30m;

    /// <summary>Index of the shipped defaults in <see cref="For"/>.</summary>
    public const int Shipped = 3;

    /// <summary>The scenarios for a fleet size: before issue 21, round 2's agent, the levers one after another (cumulative).</summary>
    public static IReadOnlyList<FleetProfile> For(int devices)
    {
        var shipped = new FleetProfile
        {
            Name = "Shipped defaults: live v2 every 5 s through Basic Ingest, 1 Hz rows, one Firehose on the stream",
            Devices = devices,
        };
        var plainV1 = shipped with
        {
            Name = "Live v1 on the plain topic (the agent before this change), one Firehose on the stream",
            TelemetryBytes = MeasuredSizes.LiveV1 + MeasuredSizes.TelemetryTopic,
            BasicIngest = false,
        };
        var before = plainV1 with { Name = "Before issue 21: 3 Firehoses read the whole stream", FirehoseReaders = 3 };
        var v2 = plainV1 with { Name = "+ live telemetry as v2 (Publish:LiveSchema)", TelemetryBytes = MeasuredSizes.LiveV2 + MeasuredSizes.TelemetryTopic };
        var minute = shipped with
        {
            Name = "+ per-minute v2 summaries (raw grams on the device, upload-readings; not in this agent)",
            TelemetryIntervalSeconds = 60,
            TelemetryBytes = MeasuredSizes.MinuteV2 + MeasuredSizes.BasicIngestTelemetryTopic,
            ReadingsPerSecond = MeasuredSizes.Slots / 60.0,
        };
        return [before, plainV1, v2, shipped, minute];
    }

    /// <summary>One row per scenario: total, per device, and against the target.</summary>
    public static string LeverTable(int devices, AwsPriceList prices)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{devices:N0} devices × {MeasuredSizes.Slots} slots, us-east-1 list prices of {prices.AsOf:yyyy-MM-dd}; " +
            $"target ≤ ${TargetPerDevice:0.00}/device/month");
        text.AppendLine();
        text.AppendLine("| Scenario | $/month | $/device/month | target |");
        text.AppendLine("| --- | ---: | ---: | --- |");
        foreach (var fleet in For(devices))
        {
            var bill = CostModel.Bill(fleet, prices);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {fleet.Name} | {bill.Total:N0} | {bill.PerDevice:0.000} | {(bill.PerDevice <= TargetPerDevice ? "met" : "missed")} |");
        }

        return text.ToString();
    }
}
