namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// AWS list prices (USD, us-east-1, on-demand, no free tier) the cost model uses, with where they come from. Prices
/// change: <see cref="AsOf"/> says when these were read; check <see cref="Sources"/> before committing to a figure.
/// </summary>
public sealed record AwsPriceList
{
    /// <summary>When the prices were read from the pages in <see cref="Sources"/>.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>The pricing pages, one per service.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>IoT Core connectivity, per million connection-minutes.</summary>
    public decimal IotConnectionPerMillionMinutes { get; init; }

    /// <summary>IoT Core messaging per million 5 KB units: (units up to which the tier applies, price); the last tier is open.</summary>
    public IReadOnlyList<(decimal UpToMillions, decimal PerMillion)> IotMessagingTiers { get; init; } = [];

    /// <summary>IoT rules engine: per million rules triggered (5 KB units).</summary>
    public decimal IotRulePerMillion { get; init; }

    /// <summary>IoT rules engine: per million actions executed (5 KB units).</summary>
    public decimal IotActionPerMillion { get; init; }

    /// <summary>Kinesis Data Streams provisioned: per shard-hour.</summary>
    public decimal KinesisShardHour { get; init; }

    /// <summary>Kinesis Data Streams: per million PUT payload units (25 KB each).</summary>
    public decimal KinesisPerMillionPutUnits { get; init; }

    /// <summary>Firehose ingestion per GB (Kinesis stream as source; each record rounded up to 5 KB).</summary>
    public decimal FirehoseIngestPerGb { get; init; }

    /// <summary>Firehose format conversion (JSON → Parquet) per GB.</summary>
    public decimal FirehoseConversionPerGb { get; init; }

    /// <summary>Firehose dynamic partitioning per GB processed.</summary>
    public decimal FirehosePartitioningPerGb { get; init; }

    /// <summary>Lambda per million requests.</summary>
    public decimal LambdaPerMillionRequests { get; init; }

    /// <summary>Lambda per GB-second (x86).</summary>
    public decimal LambdaPerGbSecond { get; init; }

    /// <summary>S3 Standard per GB-month.</summary>
    public decimal S3StandardGbMonth { get; init; }

    /// <summary>S3 Glacier Instant Retrieval per GB-month.</summary>
    public decimal S3GlacierIrGbMonth { get; init; }

    /// <summary>Athena per TB scanned.</summary>
    public decimal AthenaPerTb { get; init; }

    /// <summary>CloudWatch custom metric per month.</summary>
    public decimal CloudWatchMetricMonth { get; init; }

    /// <summary>CloudWatch standard alarm per month.</summary>
    public decimal CloudWatchAlarmMonth { get; init; }

    /// <summary>CloudWatch dashboard per month.</summary>
    public decimal CloudWatchDashboardMonth { get; init; }

    /// <summary>us-east-1 list prices as published on the AWS pricing pages, read 2026-12-07.</summary>
    public static AwsPriceList UsEast1 { get; } = new()
    {
        AsOf = new DateOnly(2026, 12, 7),
        Sources =
        [
            "https://aws.amazon.com/iot-core/pricing/ (and /additional-details/: PUBLISH metered on payload + topic, 5 KB units)",
            "https://aws.amazon.com/kinesis/data-streams/pricing/",
            "https://aws.amazon.com/firehose/pricing/",
            "https://aws.amazon.com/lambda/pricing/",
            "https://aws.amazon.com/s3/pricing/",
            "https://aws.amazon.com/athena/pricing/",
            "https://aws.amazon.com/cloudwatch/pricing/",
        ],
        IotConnectionPerMillionMinutes = 0.08m,
        IotMessagingTiers = [(1_000m, 1.00m), (5_000m, 0.80m), (decimal.MaxValue, 0.70m)],
        IotRulePerMillion = 0.15m,
        IotActionPerMillion = 0.15m,
        KinesisShardHour = 0.015m,
        KinesisPerMillionPutUnits = 0.014m,
        FirehoseIngestPerGb = 0.029m,
        FirehoseConversionPerGb = 0.018m,
        FirehosePartitioningPerGb = 0.020m,
        LambdaPerMillionRequests = 0.20m,
        LambdaPerGbSecond = 0.0000166667m,
        S3StandardGbMonth = 0.023m,
        S3GlacierIrGbMonth = 0.004m,
        AthenaPerTb = 5m,
        CloudWatchMetricMonth = 0.30m,
        CloudWatchAlarmMonth = 0.10m,
        CloudWatchDashboardMonth = 3m,
    };
}
