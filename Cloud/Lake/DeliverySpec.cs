namespace ShelfAgent.Cloud.Lake;

/// <summary>What one delivery stream writes: its folder in the raw bucket, its Glue table, the Lambda's code and mode.</summary>
/// <param name="Name">Folder in the raw bucket (readings, events, forecasts) and construct id.</param>
/// <param name="TableName">Glue table whose columns drive the Parquet conversion.</param>
/// <param name="Source">The transformation's code (<see cref="LambdaSource"/>).</param>
/// <param name="Output">The transformation's OUTPUT mode.</param>
/// <param name="BufferSeconds">S3 buffer interval: 900 (few, large files) except forecasts, which the restock list reads within minutes.</param>
public sealed record DeliverySpec(string Name, string TableName, string Source, string Output, int BufferSeconds = 900)
{
    /// <summary>
    /// Lambda buffer (MB) in front of the transformation: Firehose's minimum, 0.2. The response may not exceed
    /// Lambda's 6 MB; a dense v2 backlog record expands ~18x into rows and base64 adds 4/3 (~24x): a full
    /// 0.2 MB buffer (213,801 bytes with the record past the hint) answered 5.11 MB. Beyond that (long thing
    /// names, an oversized last record) the function's response budget turns the rest into processing failures
    /// under errors/, never a failed batch (Cloud.Tests TransformFunctionTests measure a full backlog batch).
    /// </summary>
    public const string LambdaBufferMb = "0.2";

    /// <summary>Telemetry batches flattened to one row per reading.</summary>
    public static DeliverySpec Readings { get; } = new("readings", ReadingsCatalog.RawTableName, LambdaSource.Transform, "readings");

    /// <summary>Pick/restock events and alerts, one row each.</summary>
    public static DeliverySpec Events { get; } = new("events", ReadingsCatalog.RawEventsTableName, LambdaSource.Activity, "activity");

    /// <summary>Forecasts, one row per slot.</summary>
    public static DeliverySpec Forecasts { get; } =
        new("forecasts", ReadingsCatalog.RawForecastsTableName, LambdaSource.Activity, "forecasts", BufferSeconds: 120);

    /// <summary>S3 prefix with the Firehose dynamic partitioning key from the Lambda (arrival day).</summary>
    public string Prefix => $"{Name}/dt=!{{partitionKeyFromLambda:dt}}/";

    /// <summary>Where Firehose puts records it could not process or convert, as they came in.</summary>
    public string ErrorPrefix => $"{LakeBuckets.RawErrorsPrefix}{Name}/!{{firehose:error-output-type}}/dt=!{{timestamp:yyyy-MM-dd}}/";
}
