using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace ShelfAgent.Cloud.Lake;

/// <summary>The Glue database and the raw and curated reading tables (Parquet, partitioned by store and dt).</summary>
public sealed class ReadingsCatalog : Construct
{
    /// <summary>Raw table name.</summary>
    public const string RawTableName = "raw_readings";

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

        RawTable = Table("RawTable", RawTableName, buckets.Raw, LakeBuckets.RawReadingsPrefix,
            "One row per shelf reading as delivered by Firehose (at-least-once); dt = arrival day");
        CuratedTable = Table("CuratedTable", CuratedTableName, buckets.Curated, LakeBuckets.CuratedReadingsPrefix,
            "One row per shelf reading, deduplicated on (thing, seq); dt = reading day");
    }

    /// <summary>Glue database name.</summary>
    public string DatabaseName { get; }

    /// <summary>The Glue database.</summary>
    public CfnDatabase Database { get; }

    /// <summary>Firehose writes here; its schema drives the Parquet conversion.</summary>
    public CfnTable RawTable { get; }

    /// <summary>Filled from raw by the curation query.</summary>
    public CfnTable CuratedTable { get; }

    private CfnTable Table(string id, string name, Bucket bucket, string prefix, string description)
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
                    Columns = ReadingColumns.Columns.Select(ToGlue).ToArray(),
                },
            },
        });
        table.AddDependency(Database);
        return table;
    }

    private static object ToGlue(GlueColumn c) =>
        new CfnTable.ColumnProperty { Name = c.Name, Type = c.Type, Comment = c.Comment };
}
