using Amazon.CDK.AWS.Athena;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The data team's Athena workgroup: results only in the encrypted results bucket (enforced, so a client
/// cannot redirect them), a per-query scan cap against runaway cost, and the starter queries. The scheduled
/// queries run in a pipeline workgroup of their own: the data team's 10 GB cap cancelled the nightly MERGE
/// at fleet scale, and Scheduler only sees StartQueryExecution succeed, so its failures are alarmed apart
/// (Monitoring/Operations: Athena "Query State Change" FAILED or CANCELLED in this workgroup).
/// </summary>
public sealed class AthenaWorkspace : Construct
{
    /// <summary>Per-query scan cutoff: 10 GB ≈ $0.05 at $5/TB.</summary>
    public const long BytesScannedCutoff = 10L * 1024 * 1024 * 1024;

    /// <summary>
    /// Per-query scan cutoff of the pipeline workgroup: 1 TB ≈ $5. A MERGE reads one arrival day of raw (the model in
    /// Cloud/Cost puts a day of raw readings at 10,000 devices × 24 slots well under it) plus a bounded window of the target.
    /// </summary>
    public const long PipelineBytesScannedCutoff = 1024L * 1024 * 1024 * 1024;

    /// <summary>Creates the workgroup and the named queries.</summary>
    public AthenaWorkspace(Construct scope, string id, StageNaming naming, LakeBuckets buckets, ReadingsCatalog catalog, IEnumerable<StarterQuery> queries)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(catalog);

        WorkGroupName = naming.AthenaWorkGroup;
        WorkGroup = NewWorkGroup("WorkGroup", WorkGroupName, "ShelfAgent data team", BytesScannedCutoff,
            $"s3://{buckets.AthenaResults.BucketName}/{LakeBuckets.AthenaResultsPrefix}");
        PipelineWorkGroupName = naming.AthenaPipelineWorkGroup;
        PipelineWorkGroup = NewWorkGroup("PipelineWorkGroup", PipelineWorkGroupName, "ShelfAgent scheduled curation and training",
            PipelineBytesScannedCutoff, $"s3://{buckets.AthenaResults.BucketName}/{LakeBuckets.AthenaResultsPrefix}pipeline/");

        _database = catalog.DatabaseName;
        foreach (var query in queries)
        {
            AddQuery(query);
        }
    }

    private readonly string _database;

    /// <summary>Saves a named query in the workgroup.</summary>
    public void AddQuery(StarterQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var named = new CfnNamedQuery(this, $"Query-{query.Name}", new CfnNamedQueryProps
        {
            Name = query.Name,
            Description = query.Description,
            Database = _database,
            WorkGroup = WorkGroupName,
            QueryString = query.Sql,
        });
        named.AddDependency(WorkGroup);
    }

    /// <summary>Name of the scheduled queries' workgroup.</summary>
    public string PipelineWorkGroupName { get; }

    /// <summary>The scheduled queries' workgroup.</summary>
    public CfnWorkGroup PipelineWorkGroup { get; }

    private CfnWorkGroup NewWorkGroup(string id, string name, string description, long cutoff, string output) =>
        new(this, id, new CfnWorkGroupProps
        {
            Name = name,
            Description = description,
            State = "ENABLED",
            RecursiveDeleteOption = true,
            WorkGroupConfiguration = new CfnWorkGroup.WorkGroupConfigurationProperty
            {
                EnforceWorkGroupConfiguration = true,
                PublishCloudWatchMetricsEnabled = true,
                BytesScannedCutoffPerQuery = cutoff,
                EngineVersion = new CfnWorkGroup.EngineVersionProperty { SelectedEngineVersion = "Athena engine version 3" },
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = output,
                    EncryptionConfiguration = new CfnWorkGroup.EncryptionConfigurationProperty { EncryptionOption = "SSE_S3" },
                },
            },
        });

    /// <summary>Workgroup name.</summary>
    public string WorkGroupName { get; }

    /// <summary>The workgroup.</summary>
    public CfnWorkGroup WorkGroup { get; }
}
