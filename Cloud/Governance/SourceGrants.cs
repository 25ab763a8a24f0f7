using Constructs;
using ShelfAgent.Cloud.Analytics;
using ShelfAgent.Cloud.Lake;
using ShelfAgent.Cloud.Sources;

namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// Lake Formation grants for the optional parts: the transactional source tables follow the raw/curated
/// matrix (data engineer writes both, data scientist and ML engineer read curated), their merge role writes
/// curated, and Redshift's role reads every curated table.
/// </summary>
public sealed class SourceGrants : Construct
{
    /// <summary>Creates the grants.</summary>
    public SourceGrants(Construct scope, string id, DataLake lake, TransactionalSources sources, ProfileRoles profiles, RedshiftAnalytics? redshift)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(profiles);
        var db = lake.Catalog.DatabaseName;
        foreach (var table in sources.Tables)
        {
            var curated = table.StartsWith("curated_", StringComparison.Ordinal);
            Grant($"{ProfileMatrix.DataEngineer}-{table}", profiles.Roles[ProfileMatrix.DataEngineer], table, LakeFormationGrants.ReadWrite);
            if (curated)
            {
                Grant($"{ProfileMatrix.DataScientist}-{table}", profiles.Roles[ProfileMatrix.DataScientist], table, LakeFormationGrants.Read);
                Grant($"{ProfileMatrix.MlEngineer}-{table}", profiles.Roles[ProfileMatrix.MlEngineer], table, LakeFormationGrants.Read);
            }

            if (sources.CurationRole is { } role)
            {
                Grant($"merge-{table}", role, table, curated ? LakeFormationGrants.ReadWrite : LakeFormationGrants.Read);
            }
        }

        if (lake.WithSales && sources.Tables.Contains(CurationSchedule.SalesTable))
        {
            // train-profiles (the lake's scheduled queries) reads the sales prior.
            Grant("training-" + CurationSchedule.SalesTable, lake.Curation.Role, CurationSchedule.SalesTable, LakeFormationGrants.Read);
        }

        if (sources.CurationRole is { } merger)
        {
            LakeFormationGrants.Database(this, "merge-database", merger, db, lake.Catalog.Database);
        }

        if (redshift is not null)
        {
            foreach (var table in ProfileRoles.CuratedTables.Concat(sources.Tables.Where(t => t.StartsWith("curated_", StringComparison.Ordinal))))
            {
                Grant($"redshift-{table}", redshift.Role, table, LakeFormationGrants.Read);
            }

            LakeFormationGrants.Database(this, "redshift-database", redshift.Role, db, lake.Catalog.Database);
        }

        void Grant(string grantId, Amazon.CDK.AWS.IAM.IRole role, string table, string[] permissions) =>
            LakeFormationGrants.Table(this, grantId, role, db, table, permissions, lake.Catalog.TableNamed(table));
    }
}
