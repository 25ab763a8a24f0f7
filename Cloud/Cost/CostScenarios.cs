using System.Globalization;
using System.Text;

namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// The levers of issue 21, each a <see cref="FleetProfile"/> the model prices: the stack before the issue, every sample
/// published (<c>Publish:Readings all</c>), the shipped defaults (per-minute summaries, third row), then part A's levers one
/// after another.
/// </summary>
public static class CostScenarios
{
    /// <summary>The issue's target: dollars per device per month, all-in, at 10,000 devices × 24 slots.</summary>
    public const decimal TargetPerDevice = 0.30m;

    /// <summary>Index of the shipped defaults in <see cref="For"/>.</summary>
    public const int Shipped = 2;

    /// <summary>The scenarios for a fleet size: the stack before issue 21, the shipped defaults, then the device levers, cumulative.</summary>
    public static IReadOnlyList<FleetProfile> For(int devices)
    {
        var every = new FleetProfile { Name = "Every sample (Publish:Readings all): live v1 every 5 s, 1 Hz rows, one Firehose", Devices = devices };
        var before = every with { Name = "Before issue 21: every sample, 3 Firehoses read the whole stream", FirehoseReaders = 3 };
        var shipped = every with
        {
            Name = "Shipped defaults: per-minute v1 summaries (raw grams on the device, upload-readings), one Firehose",
            TelemetryIntervalSeconds = 60,
            TelemetryBytes = MeasuredSizes.MinuteV1 + MeasuredSizes.TelemetryTopic,
            ReadingsPerSecond = MeasuredSizes.Slots / 60.0,
        };
        var v2 = shipped with { Name = "+ live telemetry as v2 (issue 21 part A)", TelemetryBytes = MeasuredSizes.MinuteV2 + MeasuredSizes.TelemetryTopic };
        var basic = v2 with { Name = "+ Basic Ingest for telemetry (issue 21 part A)", BasicIngest = true };
        return [before, every, shipped, v2, basic];
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
