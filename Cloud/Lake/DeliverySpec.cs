namespace ShelfAgent.Cloud.Lake;

/// <summary>What one delivery stream writes: its folder in the raw bucket, its Glue table, the Lambda's mode.</summary>
/// <param name="Name">Folder in the raw bucket (readings, events) and construct id.</param>
/// <param name="TableName">Glue table whose columns drive the Parquet conversion.</param>
/// <param name="Output">The transformation's OUTPUT mode: readings or activity.</param>
public sealed record DeliverySpec(string Name, string TableName, string Output)
{
    /// <summary>Telemetry batches flattened to one row per reading.</summary>
    public static DeliverySpec Readings { get; } = new("readings", ReadingsCatalog.RawTableName, "readings");

    /// <summary>Pick/restock events and alerts, one row each.</summary>
    public static DeliverySpec Events { get; } = new("events", ReadingsCatalog.RawEventsTableName, "activity");

    /// <summary>S3 prefix with Firehose dynamic partitioning keys from the Lambda.</summary>
    public string Prefix => $"{Name}/store=!{{partitionKeyFromLambda:store}}/dt=!{{partitionKeyFromLambda:dt}}/";

    /// <summary>Where Firehose puts records it could not process or convert, as they came in.</summary>
    public string ErrorPrefix => $"{LakeBuckets.RawErrorsPrefix}{Name}/!{{firehose:error-output-type}}/dt=!{{timestamp:yyyy-MM-dd}}/";
}
