using Amazon.CDK.AWS.Athena;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The data team's Athena workgroup: results only in the encrypted results bucket (enforced, so a client
/// cannot redirect them), a per-query scan cap against runaway cost, and the starter queries.
/// </summary>
public sealed class AthenaWorkspace : Construct
{
    /// <summary>Per-query scan cutoff: 10 GB ≈ $0.05 at $5/TB.</summary>
    public const long BytesScannedCutoff = 10L * 1024 * 1024 * 1024;

    /// <summary>Creates the workgroup and the named queries.</summary>
    public AthenaWorkspace(Construct scope, string id, StageNaming naming, LakeBuckets buckets, ReadingsCatalog catalog, IEnumerable<StarterQuery> queries)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(catalog);

        WorkGroupName = naming.AthenaWorkGroup;
        WorkGroup = new CfnWorkGroup(this, "WorkGroup", new CfnWorkGroupProps
        {
            Name = WorkGroupName,
            Description = "ShelfAgent data team",
            State = "ENABLED",
            RecursiveDeleteOption = true,
            WorkGroupConfiguration = new CfnWorkGroup.WorkGroupConfigurationProperty
            {
                EnforceWorkGroupConfiguration = true,
                PublishCloudWatchMetricsEnabled = true,
                BytesScannedCutoffPerQuery = BytesScannedCutoff,
                EngineVersion = new CfnWorkGroup.EngineVersionProperty { SelectedEngineVersion = "Athena engine version 3" },
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = $"s3://{buckets.AthenaResults.BucketName}/{LakeBuckets.AthenaResultsPrefix}",
                    EncryptionConfiguration = new CfnWorkGroup.EncryptionConfigurationProperty { EncryptionOption = "SSE_S3" },
                },
            },
        });

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

    /// <summary>Workgroup name.</summary>
    public string WorkGroupName { get; }

    /// <summary>The workgroup.</summary>
    public CfnWorkGroup WorkGroup { get; }
}
