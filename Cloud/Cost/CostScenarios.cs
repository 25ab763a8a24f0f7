using System.Globalization;
using System.Text;

namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// The levers of issue 21, one after another from the shipped defaults, each a <see cref="FleetProfile"/> the model
/// prices. Only the first row is what ships today; the others need the device or stack changes their names say.
/// </summary>
public static class CostScenarios
{
    /// <summary>The issue's target: dollars per device per month, all-in, at 10,000 devices × 24 slots.</summary>
    public const decimal TargetPerDevice = 0.30m;

    /// <summary>The scenarios for a fleet size, cumulative.</summary>
    public static IReadOnlyList<FleetProfile> For(int devices)
    {
        var defaults = new FleetProfile { Name = "Shipped defaults: live v1 every 5 s, 1 Hz rows, 3 Firehoses", Devices = devices };
        var v2 = defaults with { Name = "+ live telemetry as v2", TelemetryBytes = MeasuredSizes.LiveV2 + MeasuredSizes.TelemetryTopic };
        var basic = v2 with { Name = "+ Basic Ingest for telemetry", BasicIngest = true };
        var oneFirehose = basic with { Name = "+ one Firehose (events, forecasts by their own rules)", FirehoseReaders = 1 };
        var minute = oneFirehose with
        {
            Name = "+ per-minute v2 summaries (raw grams on the device, upload-readings)",
            TelemetryIntervalSeconds = 60,
            TelemetryBytes = MeasuredSizes.MinuteV2 + MeasuredSizes.TelemetryTopic,
            ReadingsPerSecond = MeasuredSizes.Slots / 60.0,
        };
        return [defaults, v2, basic, oneFirehose, minute];
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
