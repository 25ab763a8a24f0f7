using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Governance;

/// <summary>
/// Lake Formation grants for the pipeline's service roles, so delivery and curation keep working once the
/// account enforces Lake Formation: each Firehose reads its raw table's schema; the curation role registers raw
/// partitions (ALTER), reads raw readings and writes curated (INSERT).
/// </summary>
public sealed class PipelineGrants : Construct
{
    /// <summary>Creates the grants.</summary>
    public PipelineGrants(Construct scope, string id, DataLake lake)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(lake);
        string db = lake.Catalog.DatabaseName;
        LakeFormationGrants.Table(this, "FirehoseRaw", lake.Delivery.Role, db, ReadingsCatalog.RawTableName,
            LakeFormationGrants.Read, lake.Catalog.RawTable);
        LakeFormationGrants.Table(this, "FirehoseRawEvents", lake.EventDelivery.Role, db, ReadingsCatalog.RawEventsTableName,
            LakeFormationGrants.Read, lake.Catalog.RawEventsTable);
        LakeFormationGrants.Table(this, "CurationRawEvents", lake.Curation.Role, db, ReadingsCatalog.RawEventsTableName,
            ["DESCRIBE", "ALTER"], lake.Catalog.RawEventsTable);
        LakeFormationGrants.Table(this, "CurationRaw", lake.Curation.Role, db, ReadingsCatalog.RawTableName,
            ["SELECT", "DESCRIBE", "ALTER"], lake.Catalog.RawTable);
        LakeFormationGrants.Table(this, "CurationCurated", lake.Curation.Role, db, ReadingsCatalog.CuratedTableName,
            ["SELECT", "DESCRIBE", "INSERT", "ALTER"], lake.Catalog.CuratedTable);
    }
}
