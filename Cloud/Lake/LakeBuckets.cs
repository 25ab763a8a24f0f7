using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>The lake's buckets and their lifecycles.</summary>
public sealed class LakeBuckets : Construct
{
    /// <summary>Prefix of the raw readings (Parquet, store=/dt= partitions).</summary>
    public const string RawReadingsPrefix = "readings/";

    /// <summary>Prefix of raw events and alerts (Parquet, store=/dt= partitions).</summary>
    public const string RawEventsPrefix = "events/";

    /// <summary>Prefix of raw forecasts (Parquet, dt= partitions).</summary>
    public const string RawForecastsPrefix = "forecasts/";

    /// <summary>Prefix of records Firehose could not process or convert (kept as delivered JSON).</summary>
    public const string RawErrorsPrefix = "errors/";

    /// <summary>Prefix of the curated readings (Iceberg).</summary>
    public const string CuratedReadingsPrefix = "readings/";

    /// <summary>Prefix of the curated events and alerts (Iceberg).</summary>
    public const string CuratedEventsPrefix = "events/";

    /// <summary>Prefix of the curated forecasts (Iceberg).</summary>
    public const string CuratedForecastsPrefix = "forecasts/";

    /// <summary>Prefix of the demand profiles (shelf.profile.v1 JSON lines, one folder per training run).</summary>
    public const string ProfilesPrefix = "profiles/";

    /// <summary>Prefix of the SageMaker training dataset (Parquet, one folder per run).</summary>
    public const string TrainingPrefix = "training/hourly-picks/";

    /// <summary>Prefix of Athena query results.</summary>
    public const string AthenaResultsPrefix = "athena/";

    /// <summary>Days raw data (and errors/, which is raw data not yet replayed) is kept.</summary>
    public const int RawRetentionDays = 730;

    /// <summary>Creates the buckets.</summary>
    public LakeBuckets(Construct scope, string id)
        : base(scope, id)
    {
        // Raw: as delivered, at-least-once (duplicates possible). Cold after a quarter, gone after two years.
        // errors/ is kept exactly as long: the device deleted those messages once they were acknowledged, so
        // the error copy is the only one until it is replayed (README "Replay"). Versioned: the data-engineer
        // profile may delete here, and raw is the only copy of what the devices sent; a deleted or overwritten
        // object stays recoverable for 30 days.
        Raw = SecureBuckets.Create(this, "Raw", versioned: true,
            new LifecycleRule { Id = "raw-noncurrent-expire", NoncurrentVersionExpiration = Duration.Days(30) },
            AgeOut("raw-readings-age-out", RawReadingsPrefix),
            AgeOut("raw-events-age-out", RawEventsPrefix),
            AgeOut("raw-forecasts-age-out", RawForecastsPrefix),
            AgeOut("raw-errors-age-out", RawErrorsPrefix),
            AgeOut("raw-sales-age-out", "sales/"),
            AgeOut("raw-purchases-age-out", "purchases/"));

        // Curated: deduplicated, the data team's source of truth; versioned against bad rewrites.
        Curated = SecureBuckets.Create(this, "Curated", versioned: true,
            new LifecycleRule
            {
                Id = "curated-tiering",
                Transitions = [new Transition { StorageClass = StorageClass.INTELLIGENT_TIERING, TransitionAfter = Duration.Days(30) }],
                NoncurrentVersionExpiration = Duration.Days(30),
            });

        // Athena results are scratch: a month is plenty.
        AthenaResults = SecureBuckets.Create(this, "AthenaResults", versioned: false,
            new LifecycleRule { Id = "results-expire", Expiration = Duration.Days(30) });

        // Model artifacts: versioned so a deployed model can always be traced back.
        ModelArtifacts = SecureBuckets.Create(this, "ModelArtifacts", versioned: true,
            new LifecycleRule { Id = "old-model-versions-expire", NoncurrentVersionExpiration = Duration.Days(180) });
        // Its Object Created events go to EventBridge: a proposal starts its evaluation, an approval its canary (Releases/).
        // Set on the L1 bucket, not through Bucket.EventBridgeEnabled, which would add a custom-resource Lambda for what
        // CloudFormation does natively.
        ((CfnBucket)ModelArtifacts.Node.DefaultChild!).NotificationConfiguration = new CfnBucket.NotificationConfigurationProperty
        {
            EventBridgeConfiguration = new CfnBucket.EventBridgeConfigurationProperty { EventBridgeEnabled = true },
        };
    }

    private static LifecycleRule AgeOut(string id, string prefix) => new()
    {
        Id = id,
        Prefix = prefix,
        Transitions = [new Transition { StorageClass = StorageClass.GLACIER_INSTANT_RETRIEVAL, TransitionAfter = Duration.Days(90) }],
        Expiration = Duration.Days(RawRetentionDays),
    };

    /// <summary>Raw zone: Firehose output (Parquet readings and events) and its error records.</summary>
    public Bucket Raw { get; }

    /// <summary>Curated zone: deduplicated readings partitioned by reading day.</summary>
    public Bucket Curated { get; }

    /// <summary>Athena query results (encrypted, expiring).</summary>
    public Bucket AthenaResults { get; }

    /// <summary>ML model artifacts.</summary>
    public Bucket ModelArtifacts { get; }
}
