using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The Glue database and its tables (Parquet, partitioned by store and dt): raw and curated readings, raw
/// events and alerts.
/// </summary>
public sealed class ReadingsCatalog : Construct
{
    /// <summary>Raw table name.</summary>
    public const string RawTableName = "raw_readings";

    /// <summary>Raw events-and-alerts table name.</summary>
    public const string RawEventsTableName = "raw_events";

    /// <summary>Curated table name.</summary>
    public const string CuratedTableName = "curated_readings";

    /// <summary>Creates the database and tables.</summary>
    public ReadingsCatalog(Construct scope, string id, StageNaming naming, LakeBuckets buckets)
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
                Description = "ShelfAgent shelf readings: raw (as delivered) and curated (deduplicated)",
            },
        });

        RawTable = Table("RawTable", RawTableName, buckets.Raw, LakeBuckets.RawReadingsPrefix, ReadingColumns.Columns,
            "One row per shelf reading as delivered by Firehose (at-least-once); dt = arrival day");
        CuratedTable = Table("CuratedTable", CuratedTableName, buckets.Curated, LakeBuckets.CuratedReadingsPrefix, ReadingColumns.Columns,
            "One row per shelf reading, deduplicated on (thing, seq); dt = reading day");
        RawEventsTable = Table("RawEventsTable", RawEventsTableName, buckets.Raw, LakeBuckets.RawEventsPrefix, ActivityColumns.Columns,
            "One row per pick/restock event or alert as delivered (at-least-once); dt = arrival day");
    }

    /// <summary>Glue database name.</summary>
    public string DatabaseName { get; }

    /// <summary>The Glue database.</summary>
    public CfnDatabase Database { get; }

    /// <summary>Firehose writes here; its schema drives the Parquet conversion.</summary>
    public CfnTable RawTable { get; }

    /// <summary>Filled from raw by the curation query.</summary>
    public CfnTable CuratedTable { get; }

    /// <summary>Events and alerts; its schema drives the second delivery stream's Parquet conversion.</summary>
    public CfnTable RawEventsTable { get; }

    private CfnTable Table(string id, string name, Bucket bucket, string prefix, IReadOnlyList<GlueColumn> columns, string description)
    {
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
                    ["classification"] = "parquet",
                    ["parquet.compression"] = "SNAPPY",
                },
                PartitionKeys = ReadingColumns.PartitionKeys.Select(ToGlue).ToArray(),
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = $"s3://{bucket.BucketName}/{prefix}",
                    InputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    OutputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    SerdeInfo = new CfnTable.SerdeInfoProperty
                    {
                        SerializationLibrary = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                    },
                    Columns = columns.Select(ToGlue).ToArray(),
                },
            },
        });
        table.AddDependency(Database);
        return table;
    }

    private static object ToGlue(GlueColumn c) =>
        new CfnTable.ColumnProperty { Name = c.Name, Type = c.Type, Comment = c.Comment };
}
