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

    /// <summary>Prefix of records Firehose could not process or convert (kept as delivered JSON).</summary>
    public const string RawErrorsPrefix = "errors/";

    /// <summary>Prefix of the curated readings.</summary>
    public const string CuratedReadingsPrefix = "readings/";

    /// <summary>Prefix of Athena query results.</summary>
    public const string AthenaResultsPrefix = "athena/";

    /// <summary>Creates the buckets.</summary>
    public LakeBuckets(Construct scope, string id)
        : base(scope, id)
    {
        // Raw: as delivered, at-least-once (duplicates possible). Cold after a quarter, gone after two years.
        Raw = SecureBuckets.Create(this, "Raw", versioned: false,
            new LifecycleRule
            {
                Id = "raw-readings-age-out",
                Prefix = RawReadingsPrefix,
                Transitions = [new Transition { StorageClass = StorageClass.GLACIER_INSTANT_RETRIEVAL, TransitionAfter = Duration.Days(90) }],
                Expiration = Duration.Days(730),
            },
            new LifecycleRule
            {
                Id = "raw-events-age-out",
                Prefix = RawEventsPrefix,
                Transitions = [new Transition { StorageClass = StorageClass.GLACIER_INSTANT_RETRIEVAL, TransitionAfter = Duration.Days(90) }],
                Expiration = Duration.Days(730),
            },
            new LifecycleRule { Id = "raw-errors-expire", Prefix = RawErrorsPrefix, Expiration = Duration.Days(30) });

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
    }

    /// <summary>Raw zone: Firehose output (Parquet readings and events) and its error records.</summary>
    public Bucket Raw { get; }

    /// <summary>Curated zone: deduplicated readings partitioned by reading day.</summary>
    public Bucket Curated { get; }

    /// <summary>Athena query results (encrypted, expiring).</summary>
    public Bucket AthenaResults { get; }

    /// <summary>ML model artifacts.</summary>
    public Bucket ModelArtifacts { get; }
}
