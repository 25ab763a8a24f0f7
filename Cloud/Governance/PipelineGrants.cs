using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// Lake Formation grants for the pipeline's service roles, so delivery and curation keep working with Lake
/// Formation deciding: each Firehose reads its raw table's schema; the curation role reads the raw tables and
/// writes the curated Iceberg tables (MERGE: SELECT, INSERT, DELETE, ALTER).
/// </summary>
public sealed class PipelineGrants : Construct
{
    /// <summary>Creates the grants.</summary>
    public PipelineGrants(Construct scope, string id, DataLake lake)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var db = lake.Catalog.DatabaseName;
        foreach (var pipeline in lake.Pipelines)
        {
            var table = LakeFormationGrants.Table(this, $"Firehose-{pipeline.Spec.TableName}", pipeline.Role, db, pipeline.Spec.TableName,
                LakeFormationGrants.Read, lake.Catalog.TableNamed(pipeline.Spec.TableName));
            var database = LakeFormationGrants.Database(this, $"Firehose-{pipeline.Spec.Name}-database", pipeline.Role, db, lake.Catalog.Database);
            // Firehose checks its Glue access when the delivery stream is created: on a first deploy the stream
            // must wait for its grants, or creation fails with the table not readable.
            pipeline.DeliveryStream.AddDependency(table);
            pipeline.DeliveryStream.AddDependency(database);
        }

        foreach (var table in ProfileRoles.RawTables)
        {
            LakeFormationGrants.Table(this, $"Curation-{table}", lake.Curation.Role, db, table, LakeFormationGrants.Read, lake.Catalog.TableNamed(table));
        }

        foreach (var table in ProfileRoles.CuratedTables)
        {
            LakeFormationGrants.Table(this, $"Curation-{table}", lake.Curation.Role, db, table, LakeFormationGrants.ReadWrite, lake.Catalog.TableNamed(table));
        }

        LakeFormationGrants.Database(this, "Curation-database", lake.Curation.Role, db, lake.Catalog.Database);
    }
}
