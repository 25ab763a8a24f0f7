namespace ShelfAgent.Cloud.Governance;

/// <summary>What a profile may do with the shelf data; each maps to narrow IAM statements and Lake Formation grants.</summary>
public enum Capability
{
    /// <summary>Read raw readings (S3 objects and Glue metadata of raw_readings).</summary>
    RawRead,

    /// <summary>Write raw readings and register their partitions.</summary>
    RawWrite,

    /// <summary>Read curated readings.</summary>
    CuratedRead,

    /// <summary>Write curated readings and their partitions.</summary>
    CuratedWrite,

    /// <summary>Run queries in the stage's Athena workgroup (results in its encrypted bucket).</summary>
    AthenaQuery,

    /// <summary>Read and write the model-artifacts bucket.</summary>
    ModelArtifacts,

    /// <summary>Subscribe to (and unsubscribe from) stock-out alerts.</summary>
    StockOutSubscribe,

    /// <summary>Read the operations dashboard, its metrics, and device connectivity.</summary>
    DashboardRead,

    /// <summary>Train a profile release and propose it (write its candidate files and metrics), never approve it.</summary>
    ProposeRelease,

    /// <summary>Approve a proposed release for deployment (write its approval record), which starts its canary.</summary>
    ApproveRelease,

    /// <summary>Read the releases' metrics and approvals (not their profiles, not the lake).</summary>
    ReleaseMetricsRead,
}
