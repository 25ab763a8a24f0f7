namespace ShelfAgent.Cloud.Cost;

/// <summary>
/// What a fleet sends and how the cloud takes it: the inputs of <see cref="CostModel"/>. Message sizes come from
/// <see cref="MeasuredSizes"/> (the agent's own encoders, pinned by a test); the other figures are stated assumptions.
/// </summary>
public sealed record FleetProfile
{
    /// <summary>Short name of the scenario (a row of the bill table).</summary>
    public required string Name { get; init; }

    /// <summary>Devices in the fleet.</summary>
    public int Devices { get; init; } = 10_000;

    /// <summary>Devices per store (per-store CloudWatch metrics are billed per store). Assumption.</summary>
    public int DevicesPerStore { get; init; } = 20;

    /// <summary>Seconds between telemetry publishes (Publish:IntervalMs ÷ 1000).</summary>
    public double TelemetryIntervalSeconds { get; init; } = 5;

    /// <summary>Bytes metered per telemetry publish: payload + topic (measured). Default: the agent's, a live v2 batch on the Basic Ingest topic.</summary>
    public int TelemetryBytes { get; init; } = MeasuredSizes.LiveV2 + MeasuredSizes.BasicIngestTelemetryTopic;

    /// <summary>Rows a device adds to raw readings per second (every sample of every slot at the shipped 1 s sampling).</summary>
    public double ReadingsPerSecond { get; init; } = MeasuredSizes.Slots;

    /// <summary>
    /// Telemetry goes to a Basic Ingest topic ($aws/rules/…): no messaging charge, rules still billed. Default: the agent's
    /// (Publish:BasicIngestRule).
    /// </summary>
    public bool BasicIngest { get; init; } = true;

    /// <summary>
    /// Firehose streams that read the Kinesis stream. 1 (shipped): readings only; events, alerts and forecasts go by their
    /// own rules straight to their Firehose, so the stream carries telemetry alone. 3 (before issue 21): readings,
    /// events and forecasts each read every record of a stream that carried all four kinds.
    /// </summary>
    public int FirehoseReaders { get; init; } = 1;

    /// <summary>Pick/restock events per device per day (20 per slot). Assumption.</summary>
    public double EventsPerDay { get; init; } = 20.0 * MeasuredSizes.Slots;

    /// <summary>Forecasts per device per day (Stock:ForecastIntervalMinutes 15).</summary>
    public double ForecastsPerDay { get; init; } = 96;

    /// <summary>Parquet bytes per raw reading row in S3 (Snappy). Estimate, not measured here (no Parquet writer in the repo).</summary>
    public double ParquetBytesPerReading { get; init; } = 20;

    /// <summary>Share of devices draining a backlog at once (each may take half a shard). Assumption.</summary>
    public double DrainingShare { get; init; } = 0.002;
}
