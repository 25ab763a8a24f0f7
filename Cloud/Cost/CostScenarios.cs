using System.Globalization;
using System.Text;

namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// The levers of issue 21, each a <see cref="FleetProfile"/> the model prices: the stack before the issue, the shipped
/// defaults (second row), then the device-side levers one after another; those need the agent changes their names say.
/// </summary>
public static class CostScenarios
{
    /// <summary>The issue's target: dollars per device per month, all-in, at 10,000 devices × 24 slots.</summary>
    public const decimal TargetPerDevice = 0.30m;

    /// <summary>Index of the shipped defaults in <see cref="For"/>.</summary>
    public const int Shipped = 1;

    /// <summary>The scenarios for a fleet size: the stack before issue 21, the shipped defaults, then the device levers, cumulative.</summary>
    public static IReadOnlyList<FleetProfile> For(int devices)
    {
        var defaults = new FleetProfile { Name = "Shipped defaults: live v1 every 5 s, 1 Hz rows, one Firehose on the stream", Devices = devices };
        var before = defaults with { Name = "Before issue 21: 3 Firehoses read the whole stream", FirehoseReaders = 3 };
        var v2 = defaults with { Name = "+ live telemetry as v2", TelemetryBytes = MeasuredSizes.LiveV2 + MeasuredSizes.TelemetryTopic };
        var basic = v2 with { Name = "+ Basic Ingest for telemetry", BasicIngest = true };
        var minute = basic with
        {
            Name = "+ per-minute v2 summaries (raw grams on the device, upload-readings)",
            TelemetryIntervalSeconds = 60,
            TelemetryBytes = MeasuredSizes.MinuteV2 + MeasuredSizes.TelemetryTopic,
            ReadingsPerSecond = MeasuredSizes.Slots / 60.0,
        };
        return [before, defaults, v2, basic, minute];
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
