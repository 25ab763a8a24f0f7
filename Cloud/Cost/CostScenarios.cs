using System.Globalization;
using System.Text;

namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// The levers of issue 21, each a <see cref="FleetProfile"/> the model prices: the stack before the issue, every sample
/// published as live v1 on the plain topic (the agent before the levers), then the three device levers one after another
/// (live v2, Basic Ingest, per-minute summaries): the last row is the shipped defaults.
/// </summary>
public static class CostScenarios
{
    /// <summary>The issue's target: dollars per device per month, all-in, at 10,000 devices × 24 slots.</summary>
    public const decimal TargetPerDevice = 0.30m;

    /// <summary>Index of the shipped defaults in <see cref="For"/>.</summary>
    public const int Shipped = 4;

    /// <summary>The scenarios for a fleet size: before issue 21, round 2's agent, the levers one after another (cumulative).</summary>
    public static IReadOnlyList<FleetProfile> For(int devices)
    {
        var every = new FleetProfile
        {
            Name = "Every sample, live v1 on the plain topic (Publish:Readings all, LiveSchema v1, no Basic Ingest), one Firehose",
            Devices = devices,
            TelemetryBytes = MeasuredSizes.LiveV1 + MeasuredSizes.TelemetryTopic,
            BasicIngest = false,
        };
        var before = every with { Name = "Before issue 21: every sample, 3 Firehoses read the whole stream", FirehoseReaders = 3 };
        var v2 = every with { Name = "+ live telemetry as v2 (Publish:LiveSchema)", TelemetryBytes = MeasuredSizes.LiveV2 + MeasuredSizes.TelemetryTopic };
        var basic = v2 with
        {
            Name = "+ Basic Ingest for telemetry (Publish:BasicIngestRule)",
            TelemetryBytes = MeasuredSizes.LiveV2 + MeasuredSizes.BasicIngestTelemetryTopic,
            BasicIngest = true,
        };
        var shipped = basic with
        {
            Name = "Shipped defaults: + per-minute v2 summaries (Publish:Readings; raw grams on the device, upload-readings)",
            TelemetryIntervalSeconds = 60,
            TelemetryBytes = MeasuredSizes.MinuteV2 + MeasuredSizes.BasicIngestTelemetryTopic,
            ReadingsPerSecond = MeasuredSizes.Slots / 60.0,
        };
        return [before, every, v2, basic, shipped];
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
