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
}
