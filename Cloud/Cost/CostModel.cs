namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// The monthly AWS bill of a fleet, by service, from what the devices send (<see cref="FleetProfile"/>) and list
/// prices (<see cref="AwsPriceList"/>). Pure arithmetic over the metering rules AWS publishes: IoT messages, rules and
/// actions in 5 KB units (payload + topic); Firehose ingestion with each record rounded up to 5 KB (Direct PUT and
/// stream source alike), once per delivery stream that reads the Kinesis stream; one Lambda invocation per 0.2 MB
/// transformation buffer.
/// </summary>
public static class CostModel
{
    /// <summary>Hours in a billing month, as AWS prices hourly resources.</summary>
    public const double HoursPerMonth = 730;

    private const double SecondsPerMonth = HoursPerMonth * 3600;
    private const double FiveKb = 5 * 1024;
    private const double Gb = 1024.0 * 1024 * 1024;

    /// <summary>Alarms and dashboards of one stage, fixed (Monitoring/Operations.cs, ~30 alarms).</summary>
    public const int Alarms = 30;

    /// <summary>Custom metrics per store: PredictedEmptyAlerts, StockOuts, StockOutsCaught, StockOutsMissed.</summary>
    public const int MetricsPerStore = 4;

    /// <summary>Curated days a nightly MERGE reads to find matches (Lake.StarterQueries.TargetDays), at this share of the bytes (join columns).</summary>
    public const double MergeTargetColumnShare = 0.3;

    /// <summary>Months raw data has accumulated when storage is priced (a fleet in its second year).</summary>
    public const int StorageMonths = 12;

    /// <summary>Computes the bill.</summary>
    public static MonthlyBill Bill(FleetProfile fleet, AwsPriceList prices)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(prices);
        double devices = fleet.Devices;
        var telemetry = devices * SecondsPerMonth / fleet.TelemetryIntervalSeconds;
        var events = devices * fleet.EventsPerDay * HoursPerMonth / 24;
        var forecasts = devices * fleet.ForecastsPerDay * HoursPerMonth / 24;
        var telemetryUnits = telemetry * Units(fleet.TelemetryBytes);
        var otherUnits = events * Units(MeasuredSizes.Event + 40) + forecasts * Units(MeasuredSizes.Forecast + 42);
        var lines = new List<BillLine>();

        var messagingUnits = (fleet.BasicIngest ? 0 : telemetryUnits) + otherUnits;
        lines.Add(new("IoT Core messaging", Tiered(messagingUnits / 1e6, prices.IotMessagingTiers),
            $"{messagingUnits / 1e9:0.###} G units of 5 KB" + (fleet.BasicIngest ? " (telemetry on Basic Ingest: not metered)" : "")));
        // Telemetry, events and forecasts: one stream rule each; alerts are a handful beside them.
        var ruleUnits = telemetryUnits + otherUnits;
        lines.Add(new("IoT Core rules + actions", (decimal)(ruleUnits / 1e6) * (prices.IotRulePerMillion + prices.IotActionPerMillion),
            $"{ruleUnits / 1e9:0.###} G rules triggered, as many actions"));
        lines.Add(new("IoT Core connectivity", (decimal)(devices * HoursPerMonth * 60 / 1e6) * prices.IotConnectionPerMillionMinutes,
            "every device connected all month"));

        // With one reader the stream carries telemetry only (events and forecasts go Direct PUT to their Firehose).
        var shared = fleet.FirehoseReaders > 1;
        var activityBytes = events * MeasuredSizes.Event + forecasts * MeasuredSizes.Forecast;
        var records = telemetry + (shared ? events + forecasts : 0);
        var streamBytes = telemetry * fleet.TelemetryBytes + (shared ? activityBytes : 0);
        var shards = Shards(fleet, records, streamBytes);
        lines.Add(new("Kinesis Data Streams", (decimal)(shards * HoursPerMonth) * prices.KinesisShardHour
            + (decimal)(records * Math.Ceiling(streamBytes / records / (25 * 1024)) / 1e6) * prices.KinesisPerMillionPutUnits,
            $"{shards} shards (writes, {fleet.FirehoseReaders} reader{(fleet.FirehoseReaders == 1 ? "" : "s")} at 2 MB/s per shard, draining devices)"));

        var roundedGb = (telemetry * Units(fleet.TelemetryBytes) + events + forecasts * Units(MeasuredSizes.Forecast)) * FiveKb / Gb;
        var firehose = fleet.FirehoseReaders * roundedGb;
        lines.Add(new("Firehose ingestion, conversion, partitioning",
            (decimal)firehose * (prices.FirehoseIngestPerGb + prices.FirehoseConversionPerGb + prices.FirehosePartitioningPerGb),
            $"{firehose / 1024:0.##} TB billed (" + (shared ? $"{fleet.FirehoseReaders} × every record" : "every record once") + ", 5 KB rounding)"));

        // One invocation per 0.2 MB buffer per reader, ~1 s at 128 MB for a buffer of dense batches.
        var invocations = fleet.FirehoseReaders * (telemetry * fleet.TelemetryBytes + activityBytes) / (0.2 * 1024 * 1024);
        lines.Add(new("Lambda transforms", (decimal)(invocations / 1e6) * prices.LambdaPerMillionRequests
            + (decimal)(invocations * 1.0 * 0.125) * prices.LambdaPerGbSecond, $"{invocations / 1e6:0.##} M invocations"));

        var rows = devices * fleet.ReadingsPerSecond * SecondsPerMonth;
        var rawGbPerMonth = rows * fleet.ParquetBytesPerReading / Gb;
        // Raw and curated copies; the first 3 months in Standard, the rest in Glacier Instant Retrieval.
        var standardMonths = Math.Min(3, StorageMonths);
        var s3 = 2 * rawGbPerMonth * ((double)prices.S3StandardGbMonth * standardMonths + (double)prices.S3GlacierIrGbMonth * (StorageMonths - standardMonths));
        lines.Add(new("S3 raw + curated readings", (decimal)s3,
            $"{rawGbPerMonth / 1024:0.##} TB of raw Parquet a month; priced in month {StorageMonths}"));

        var dailyTb = rawGbPerMonth / (HoursPerMonth / 24) / 1024;
        var mergeTb = dailyTb * (1 + Lake.StarterQueries.TargetDays * MergeTargetColumnShare) * HoursPerMonth / 24;
        lines.Add(new("Athena nightly MERGE", (decimal)mergeTb * prices.AthenaPerTb,
            $"{mergeTb:0.#} TB scanned a month (1 arrival day + {Lake.StarterQueries.TargetDays} curated days' join columns)"));

        var stores = Math.Ceiling(devices / fleet.DevicesPerStore);
        lines.Add(new("CloudWatch", (decimal)(stores * MetricsPerStore) * prices.CloudWatchMetricMonth
            + Alarms * prices.CloudWatchAlarmMonth + prices.CloudWatchDashboardMonth, $"{stores:0} stores × {MetricsPerStore} metrics, alarms, dashboard"));
        return new MonthlyBill(fleet, prices, lines);
    }

    /// <summary>Shards for the writes (1 MB/s, 1,000 records/s each), the readers (2 MB/s each, shared) and draining devices (half a shard each).</summary>
    public static int Shards(FleetProfile fleet, double recordsPerMonth, double bytesPerMonth)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var bytesPerSecond = bytesPerMonth / SecondsPerMonth;
        var write = Math.Max(bytesPerSecond / (1024 * 1024), recordsPerMonth / SecondsPerMonth / 1000);
        var read = fleet.FirehoseReaders * bytesPerSecond / (2 * 1024 * 1024);
        var draining = Math.Ceiling(fleet.Devices * fleet.DrainingShare) / 2;
        return (int)Math.Ceiling(Math.Max(Math.Max(write, read), draining)) + 1;
    }

    private static double Units(int bytes) => Math.Ceiling(bytes / FiveKb);

    private static decimal Tiered(double millions, IReadOnlyList<(decimal UpToMillions, decimal PerMillion)> tiers)
    {
        decimal left = (decimal)millions, done = 0, cost = 0;
        foreach (var (upTo, price) in tiers)
        {
            var inTier = Math.Min(left, upTo - done);
            cost += inTier * price;
            left -= inTier;
            done = upTo;
            if (left <= 0)
            {
                break;
            }
        }

        return cost;
    }
}
