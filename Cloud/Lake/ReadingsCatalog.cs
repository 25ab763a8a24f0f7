using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The Glue database and its tables. Raw (as delivered, at-least-once): Parquet, partitioned by arrival day
/// with partition projection, so nothing registers partitions. Curated: Apache Iceberg tables written by
/// MERGE on each stream's key, so a rerun or a late batch never duplicates or misses a row.
/// </summary>
public sealed class ReadingsCatalog : Construct
{
    /// <summary>Raw readings.</summary>
    public const string RawTableName = "raw_readings";

    /// <summary>Raw events and alerts.</summary>
    public const string RawEventsTableName = "raw_events";

    /// <summary>Raw forecasts (one row per slot).</summary>
    public const string RawForecastsTableName = "raw_forecasts";

    /// <summary>Curated readings (Iceberg, key thing + seq + ts).</summary>
    public const string CuratedTableName = "curated_readings";

    /// <summary>Curated events and alerts (Iceberg, key thing + slot + type + ts).</summary>
    public const string CuratedEventsTableName = "curated_events";

    /// <summary>Curated forecasts (Iceberg, key thing + slot + ts).</summary>
    public const string CuratedForecastsTableName = "curated_forecasts";

    /// <summary>First day partition projection offers (earlier days do not exist in this lake).</summary>
    public const string ProjectionStart = "2026-01-01";

    private readonly Dictionary<string, CfnTable> _tables = [];

    /// <summary>Creates the database and tables.</summary>
    public ReadingsCatalog(Construct scope, string id, StageNaming naming, LakeBuckets buckets, bool governed)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(buckets);
        DatabaseName = naming.GlueDatabase;

        Database = new CfnDatabase(this, "Database", new CfnDatabaseProps
        {
            CatalogId = Aws.ACCOUNT_ID,
            DatabaseInput = new CfnDatabase.DatabaseInputProperty
            {
                Name = DatabaseName,
                Description = "ShelfAgent shelf data: raw (as delivered) and curated (Iceberg, deduplicated)",
                // Lake Formation: an empty list means new tables do NOT get the IAMAllowedPrincipals "Super"
                // grant ("Use only IAM access control" unchecked), so the Lake Formation grants are what
                // decides access. Left out with -c lakeFormation=false (IAM only, the account default).
                CreateTableDefaultPermissions = governed ? Array.Empty<object>() : null,
            },
        });

        RawTable = Raw("RawTable", RawTableName, buckets.Raw, LakeBuckets.RawReadingsPrefix, ReadingColumns.Columns,
            "One row per shelf reading as delivered by Firehose (at-least-once); dt = arrival day");
        RawEventsTable = Raw("RawEventsTable", RawEventsTableName, buckets.Raw, LakeBuckets.RawEventsPrefix, ActivityColumns.Columns,
            "One row per pick/restock event or alert as delivered (at-least-once); dt = arrival day");
        RawForecastsTable = Raw("RawForecastsTable", RawForecastsTableName, buckets.Raw, LakeBuckets.RawForecastsPrefix, ForecastColumns.Columns,
            "One row per slot of a shelf.forecast.v1 message as delivered (at-least-once); dt = arrival day");
        CuratedTable = Iceberg("CuratedTable", CuratedTableName, buckets.Curated, LakeBuckets.CuratedReadingsPrefix, ReadingColumns.Columns,
            "One row per shelf reading, merged on (thing, seq, ts); dt = reading day");
        CuratedEventsTable = Iceberg("CuratedEventsTable", CuratedEventsTableName, buckets.Curated, LakeBuckets.CuratedEventsPrefix, ActivityColumns.Columns,
            "One row per event or alert, merged on (thing, slot, type, ts); dt = event day");
        CuratedForecastsTable = Iceberg(
            "CuratedForecastsTable", CuratedForecastsTableName, buckets.Curated, LakeBuckets.CuratedForecastsPrefix, ForecastColumns.Columns,
            "One row per slot forecast, merged on (thing, slot, ts); dt = forecast day");
    }

    /// <summary>Glue database name.</summary>
    public string DatabaseName { get; }

    /// <summary>The Glue database.</summary>
    public CfnDatabase Database { get; }

    /// <summary>Raw readings: Firehose writes here; its schema drives the Parquet conversion.</summary>
    public CfnTable RawTable { get; }

    /// <summary>Raw events and alerts.</summary>
    public CfnTable RawEventsTable { get; }

    /// <summary>Raw forecasts.</summary>
    public CfnTable RawForecastsTable { get; }

    /// <summary>Curated readings (Iceberg).</summary>
    public CfnTable CuratedTable { get; }

    /// <summary>Curated events and alerts (Iceberg).</summary>
    public CfnTable CuratedEventsTable { get; }

    /// <summary>Curated forecasts (Iceberg).</summary>
    public CfnTable CuratedForecastsTable { get; }

    /// <summary>Every table, by name (for grants).</summary>
    public IReadOnlyCollection<CfnTable> Tables => _tables.Values;

    /// <summary>The table of a name.</summary>
    public CfnTable TableNamed(string name) => _tables[name];

    /// <summary>
    /// Adds a raw (projected, Parquet) table of another construct, e.g. the transactional sources. Day folders are
    /// <c>dt=yyyy-MM-dd/</c> (Firehose) or, with <paramref name="bareDayFolders"/>, <c>yyyy-MM-dd/</c> (DMS date partitioning).
    /// </summary>
    public CfnTable Raw(string id, string name, IBucket bucket, string prefix, IReadOnlyList<GlueColumn> columns, string description,
        string serde = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", bool bareDayFolders = false)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var dayFolder = bareDayFolders ? "${dt}/" : "dt=${dt}/";
        var parquet = serde.Contains("parquet", StringComparison.Ordinal);
        var table = new CfnTable(this, id, new CfnTableProps
        {
            CatalogId = Aws.ACCOUNT_ID,
            DatabaseName = DatabaseName,
            TableInput = new CfnTable.TableInputProperty
            {
                Name = name,
                Description = description,
                TableType = "EXTERNAL_TABLE",
                Parameters = new Dictionary<string, object>
                {
                    ["classification"] = parquet ? "parquet" : "json",
                    // Athena partition projection: partitions are computed from these, never registered.
                    ["projection.enabled"] = "true",
                    ["projection.dt.type"] = "date",
                    ["projection.dt.format"] = "yyyy-MM-dd",
                    ["projection.dt.range"] = $"{ProjectionStart},NOW",
                    ["projection.dt.interval"] = "1",
                    ["projection.dt.interval.unit"] = "DAYS",
                    ["storage.location.template"] = $"s3://{bucket.BucketName}/{prefix}{dayFolder}",
                },
                PartitionKeys = new object[] { ToGlue(ReadingColumns.ArrivalDay) },
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = $"s3://{bucket.BucketName}/{prefix}",
                    InputFormat = parquet ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat" : "org.apache.hadoop.mapred.TextInputFormat",
                    OutputFormat = parquet
                        ? "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
                        : "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    SerdeInfo = new CfnTable.SerdeInfoProperty { SerializationLibrary = serde },
                    Columns = columns.Select(ToGlue).ToArray(),
                },
            },
        });
        table.AddDependency(Database);
        _tables.Add(name, table);
        return table;
    }

    /// <summary>Adds a curated Iceberg table (format version 2, so Athena can MERGE, UPDATE and DELETE).</summary>
    public CfnTable Iceberg(string id, string name, IBucket bucket, string prefix, IReadOnlyList<GlueColumn> columns, string description)
    {
        var table = new CfnTable(this, id, new CfnTableProps
        {
            CatalogId = Aws.ACCOUNT_ID,
            DatabaseName = DatabaseName,
            OpenTableFormatInput = new CfnTable.OpenTableFormatInputProperty
            {
                IcebergInput = new CfnTable.IcebergInputProperty { MetadataOperation = "CREATE", Version = "2" },
            },
            TableInput = new CfnTable.TableInputProperty
            {
                Name = name,
                Description = description,
                TableType = "EXTERNAL_TABLE",
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = $"s3://{bucket.BucketName}/{prefix}",
                    Columns = columns.Append(ReadingColumns.RowDay).Select(ToGlue).ToArray(),
                },
            },
        });
        table.AddDependency(Database);
        _tables.Add(name, table);
        return table;
    }

    private static object ToGlue(GlueColumn c) =>
        new CfnTable.ColumnProperty { Name = c.Name, Type = c.Type, Comment = c.Comment };
}
