using Amazon.CDK;
using Amazon.CDK.AWS.DMS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KinesisFirehose;
using Amazon.CDK.AWS.Pipes;
using Amazon.CDK.AWS.Scheduler;
using Amazon.CDK.AWS.SQS;
using Constructs;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Sources;

/// <summary>
/// The seed's transactional sources, for existing databases (identifiers from context, CloudOptions):
/// sales history from RDS through AWS DMS Serverless (full load + change data capture, Parquet into raw
/// sales/&lt;schema&gt;/&lt;table&gt;/&lt;commit day&gt;/), and purchase behaviour from a DynamoDB table's stream through an EventBridge pipe and a Firehose
/// (JSON lines into raw purchases/dt=…/). Both are merged daily into curated Iceberg tables, and the named
/// query sales-vs-picks joins them with the shelves' pick events.
/// </summary>
public sealed class TransactionalSources : Construct
{
    /// <summary>Raw sales (DMS output).</summary>
    public const string RawSales = "raw_sales";

    /// <summary>Curated sales (Iceberg, merged on sale_id).</summary>
    public const string CuratedSales = "curated_sales";

    /// <summary>Raw purchases (DynamoDB stream).</summary>
    public const string RawPurchases = "raw_purchases";

    /// <summary>Curated purchases (Iceberg, merged on purchase_id).</summary>
    public const string CuratedPurchases = "curated_purchases";

    /// <summary>Creates what the options ask for.</summary>
    public TransactionalSources(Construct scope, string id, StageNaming naming, CloudOptions options, DataLake lake)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(naming);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(lake);
        var merges = new List<StarterQuery>();
        if (options.Sales is { } sales)
        {
            Sales(naming, sales, lake);
            merges.Add(new StarterQuery(
                "curate-sales", "Merges DMS sales changes of the last 3 days into curated_sales on sale_id (deletes applied)", MergeSales));
        }

        if (options.PurchasesStreamArn is { } stream)
        {
            Purchases(naming, stream, lake);
            merges.Add(new StarterQuery(
                "curate-purchases", "Merges the last 3 days of purchase changes into curated_purchases on purchase_id", MergePurchases));
        }

        if (merges.Count == 0)
        {
            return;
        }

        foreach (var query in merges)
        {
            lake.Athena.AddQuery(query);
        }

        lake.Athena.AddQuery(new StarterQuery("sales-vs-picks",
            "Per store, SKU and day (last 30 days): units sold (RDS), units bought by known customers (DynamoDB) and items picked from the shelves",
            SalesVsPicks(options.Sales is not null, options.PurchasesStreamArn is not null)));
        Schedule(naming, lake, merges);
    }

    /// <summary>
    /// DMS date partitioning (S3Settings DatePartitionSequence and DatePartitionDelimiter): one folder per UTC
    /// transaction commit day, <c>yyyy-MM-dd</c>, under the table's folder, read by raw_sales as its projected dt.
    /// </summary>
    public const string SalesDayFolders = "YYYYMMDD";

    /// <summary>Separator of the day folder's parts (2026-12-07).</summary>
    public const string SalesDayDelimiter = "DASH";

    /// <summary>Tables this construct added to the catalog.</summary>
    public List<string> Tables { get; } = [];

    /// <summary>Identifier of the sales replication (null without the sales source).</summary>
    public string? SalesReplicationId { get; private set; }

    /// <summary>Stream records the purchases pipe could not deliver after 10 tries (null without the purchases source).</summary>
    public Queue? PurchasesDeadLetters { get; private set; }

    private void Sales(StageNaming naming, SalesDatabase sales, DataLake lake)
    {
        var folder = $"sales/{sales.Schema}/{sales.Table}/";
        Tables.Add(RawSales);
        Tables.Add(CuratedSales);
        lake.Catalog.Raw("Table-" + RawSales, RawSales, lake.Buckets.Raw, folder, SourceColumns.Sales,
            "Sales changes as DMS writes them (full load + CDC, Parquet); dt = UTC commit day (DMS date partitioning)", bareDayFolders: true);
        lake.Catalog.Iceberg("CuratedSalesTable", CuratedSales, lake.Buckets.Curated, "sales/", SourceColumns.CuratedSales,
            "Latest state of every sale line, merged on sale_id");

        var targetRole = new Role(this, "DmsTargetRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("dms.amazonaws.com"),
            Description = "DMS: write sales changes to raw sales/ only",
        });
        targetRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"],
            Resources = [lake.Buckets.Raw.ArnForObjects("sales/*")],
        }));
        targetRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["s3:ListBucket"], Resources = [lake.Buckets.Raw.BucketArn] }));
        // DMS reads endpoint secrets as its regional service principal (DMS user guide, "Using secrets to access endpoints").
        var secretRole = new Role(this, "DmsSecretRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal($"dms.{Aws.REGION}.amazonaws.com"),
            Description = "DMS: read the sales database's credentials only",
        });
        secretRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["secretsmanager:GetSecretValue"], Resources = [sales.SecretArn] }));

        SalesReplicationId = $"shelfagent-{naming.Stage}-sales";
        var postgres = sales.Engine.Contains("postgres", StringComparison.Ordinal);
        var source = new CfnEndpoint(this, "SalesSource", new CfnEndpointProps
        {
            EndpointType = "source",
            EngineName = sales.Engine,
            DatabaseName = sales.DatabaseName,
            SslMode = "require",
            MySqlSettings = postgres
                ? null
                : new CfnEndpoint.MySqlSettingsProperty { SecretsManagerSecretId = sales.SecretArn, SecretsManagerAccessRoleArn = secretRole.RoleArn },
            PostgreSqlSettings = postgres
                ? new CfnEndpoint.PostgreSqlSettingsProperty { SecretsManagerSecretId = sales.SecretArn, SecretsManagerAccessRoleArn = secretRole.RoleArn }
                : null,
        });
        var target = new CfnEndpoint(this, "SalesTarget", new CfnEndpointProps
        {
            EndpointType = "target",
            EngineName = "s3",
            S3Settings = new CfnEndpoint.S3SettingsProperty
            {
                BucketName = lake.Buckets.Raw.BucketName,
                BucketFolder = "sales",
                ServiceAccessRoleArn = targetRole.RoleArn,
                DataFormat = "parquet",
                ParquetVersion = "parquet-2-0",
                TimestampColumnName = "cdc_ts",
                IncludeOpForFullLoad = true,
                EncryptionMode = "SSE_S3",
                // One folder per commit day, so the nightly MERGE reads 3 days of raw_sales, not all of it.
                DatePartitionEnabled = true,
                DatePartitionSequence = SalesDayFolders,
                DatePartitionDelimiter = SalesDayDelimiter,
            },
        });
        var subnets = new CfnReplicationSubnetGroup(this, "SalesSubnets", new CfnReplicationSubnetGroupProps
        {
            ReplicationSubnetGroupDescription = $"ShelfAgent {naming.Stage} sales CDC",
            SubnetIds = [.. sales.SubnetIds],
        });
        var mapping = new Dictionary<string, object>
        {
            ["rules"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["rule-type"] = "selection", ["rule-id"] = "1", ["rule-name"] = "sales",
                    ["object-locator"] = new Dictionary<string, object> { ["schema-name"] = sales.Schema, ["table-name"] = sales.Table },
                    ["rule-action"] = "include",
                },
            },
        };
        var replication = new CfnReplicationConfig(this, "SalesCdc", new CfnReplicationConfigProps
        {
            ReplicationConfigIdentifier = SalesReplicationId,
            // The ARN ends in this too, so the replication's metrics carry one known id (the DMS alarm's dimension).
            ResourceIdentifier = SalesReplicationId,
            ReplicationType = "full-load-and-cdc",
            SourceEndpointArn = source.Ref,
            TargetEndpointArn = target.Ref,
            TableMappings = mapping,
            ComputeConfig = new CfnReplicationConfig.ComputeConfigProperty
            {
                // DMS Serverless capacity units: 1 minimum, 4 maximum is plenty for a sales table.
                MinCapacityUnits = 1,
                MaxCapacityUnits = 4,
                MultiAz = false,
                ReplicationSubnetGroupId = subnets.Ref,
                VpcSecurityGroupIds = [.. sales.SecurityGroupIds],
            },
        });
        replication.AddDependency(subnets);
    }

    private void Purchases(StageNaming naming, string streamArn, DataLake lake)
    {
        Tables.Add(RawPurchases);
        Tables.Add(CuratedPurchases);
        lake.Catalog.Raw("RawPurchasesTable", RawPurchases, lake.Buckets.Raw, "purchases/", SourceColumns.Purchases,
            "Purchase changes from the DynamoDB stream (JSON lines, gzip); dt = arrival day", serde: "org.openx.data.jsonserde.JsonSerDe");
        lake.Catalog.Iceberg("CuratedPurchasesTable", CuratedPurchases, lake.Buckets.Curated, "purchases/", SourceColumns.CuratedPurchases,
            "One row per purchase, merged on purchase_id");

        var firehoseRole = new Role(this, "PurchasesFirehoseRole", new RoleProps
        {
            AssumedBy = ServicePrincipals.Firehose(),
            Description = "Firehose: write purchase changes to raw purchases/ only",
        });
        firehoseRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
            Resources = [lake.Buckets.Raw.BucketArn, lake.Buckets.Raw.ArnForObjects("purchases/*"), lake.Buckets.Raw.ArnForObjects("errors/purchases/*")],
        }));
        var firehose = new CfnDeliveryStream(this, "PurchasesDelivery", new CfnDeliveryStreamProps
        {
            DeliveryStreamType = "DirectPut",
            DeliveryStreamEncryptionConfigurationInput = new CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty { KeyType = "AWS_OWNED_CMK" },
            ExtendedS3DestinationConfiguration = new CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty
            {
                BucketArn = lake.Buckets.Raw.BucketArn,
                RoleArn = firehoseRole.RoleArn,
                Prefix = "purchases/dt=!{partitionKeyFromQuery:dt}/",
                ErrorOutputPrefix = "errors/purchases/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/",
                CompressionFormat = "GZIP",
                BufferingHints = new CfnDeliveryStream.BufferingHintsProperty { IntervalInSeconds = 900, SizeInMBs = 64 },
                DynamicPartitioningConfiguration = new CfnDeliveryStream.DynamicPartitioningConfigurationProperty { Enabled = true },
                ProcessingConfiguration = new CfnDeliveryStream.ProcessingConfigurationProperty
                {
                    Enabled = true,
                    Processors = new object[]
                    {
                        new CfnDeliveryStream.ProcessorProperty
                        {
                            Type = "MetadataExtraction",
                            Parameters = new object[]
                            {
                                new CfnDeliveryStream.ProcessorParameterProperty
                                {
                                    ParameterName = "MetadataExtractionQuery", ParameterValue = "{dt: (.approximate_s | todate | .[0:10])}",
                                },
                                new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "JsonParsingEngine", ParameterValue = "JQ-1.6" },
                            },
                        },
                        new CfnDeliveryStream.ProcessorProperty
                        {
                            Type = "AppendDelimiterToRecord",
                            Parameters = new object[]
                            {
                                new CfnDeliveryStream.ProcessorParameterProperty { ParameterName = "Delimiter", ParameterValue = "\\n" },
                            },
                        },
                    },
                },
            },
        });
        firehose.Node.AddDependency(firehoseRole);

        var pipeRole = new Role(this, "PurchasesPipeRole", new RoleProps
        {
            AssumedBy = new ServicePrincipal("pipes.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Aws.ACCOUNT_ID } },
            }),
            Description = "EventBridge pipe: purchases table stream to the purchases Firehose",
        });
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"],
            Resources = [streamArn],
        }));
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["firehose:PutRecord", "firehose:PutRecordBatch"],
            Resources = [firehose.AttrArn],
        }));
        // A batch the pipe cannot deliver is retried 10 times, then its stream records' positions go here (alarmed)
        // instead of blocking the shard until the stream's 24 h retention drops them.
        PurchasesDeadLetters = new Queue(this, "PurchasesDeadLetters", new QueueProps
        {
            RetentionPeriod = Duration.Days(14),
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        pipeRole.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["sqs:SendMessage"],
            Resources = [PurchasesDeadLetters.QueueArn],
        }));
        var pipe = new CfnPipe(this, "PurchasesPipe", new CfnPipeProps
        {
            Name = $"shelfagent-{naming.Stage}-purchases",
            RoleArn = pipeRole.RoleArn,
            Source = streamArn,
            SourceParameters = new CfnPipe.PipeSourceParametersProperty
            {
                DynamoDbStreamParameters = new CfnPipe.PipeSourceDynamoDBStreamParametersProperty
                {
                    StartingPosition = "TRIM_HORIZON",
                    BatchSize = 100,
                    MaximumRetryAttempts = 10,
                    DeadLetterConfig = new CfnPipe.DeadLetterConfigProperty { Arn = PurchasesDeadLetters.QueueArn },
                },
            },
            Target = firehose.AttrArn,
            TargetParameters = new CfnPipe.PipeTargetParametersProperty
            {
                InputTemplate = "{\"event\": \"<$.eventName>\", \"purchase_id\": \"<$.dynamodb.Keys.purchase_id.S>\", " +
                                "\"customer_id\": \"<$.dynamodb.NewImage.customer_id.S>\", \"store_id\": \"<$.dynamodb.NewImage.store_id.S>\", " +
                                "\"sku\": \"<$.dynamodb.NewImage.sku.S>\", \"quantity\": \"<$.dynamodb.NewImage.quantity.N>\", " +
                                "\"purchased_at\": \"<$.dynamodb.NewImage.purchased_at.S>\", \"approximate_s\": <$.dynamodb.ApproximateCreationDateTime>}",
            },
        });
        pipe.Node.AddDependency(pipeRole);
    }

    private void Schedule(StageNaming naming, DataLake lake, List<StarterQuery> merges)
    {
        var role = new Role(this, "CurationRole", new RoleProps
        {
            AssumedBy = ServicePrincipals.Scheduler(),
            Description = $"ShelfAgent {naming.Stage}: merge the transactional sources into curated",
        });
        var glue = $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}";
        var db = lake.Catalog.DatabaseName;
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["athena:StartQueryExecution", "athena:GetQueryExecution"],
            Resources = [$"arn:{Aws.PARTITION}:athena:{Aws.REGION}:{Aws.ACCOUNT_ID}:workgroup/{lake.Athena.PipelineWorkGroupName}"],
        }));
        // Under Lake Formation Athena reads and writes with credentials vended to this role (no resource-level permissions).
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["lakeformation:GetDataAccess"],
            Resources = ["*"],
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:UpdateTable"],
            Resources = [$"{glue}:catalog", $"{glue}:database/{db}", .. Tables.Select(t => $"{glue}:table/{db}/{t}")],
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
            Resources = [lake.Buckets.Raw.BucketArn, lake.Buckets.Raw.ArnForObjects("sales/*"), lake.Buckets.Raw.ArnForObjects("purchases/*")],
        }));
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:PutObject", "s3:AbortMultipartUpload"],
            Resources = [lake.Buckets.Curated.BucketArn, lake.Buckets.Curated.ArnForObjects("*"),
                         lake.Buckets.AthenaResults.BucketArn, lake.Buckets.AthenaResults.ArnForObjects("*")],
        }));
        var minute = 30;
        foreach (var query in merges)
        {
            var schedule = new CfnSchedule(this, query.Name, new CfnScheduleProps
            {
                Description = $"Athena query {query.Name}",
                ScheduleExpression = $"cron({minute} 1 * * ? *)",
                ScheduleExpressionTimezone = "UTC",
                FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
                Target = new CfnSchedule.TargetProperty
                {
                    Arn = "arn:aws:scheduler:::aws-sdk:athena:startQueryExecution",
                    RoleArn = role.RoleArn,
                    Input = Stack.Of(this).ToJsonString(new Dictionary<string, object>
                    {
                        ["QueryString"] = query.Sql,
                        ["WorkGroup"] = lake.Athena.PipelineWorkGroupName,
                        ["QueryExecutionContext"] = new Dictionary<string, object> { ["Database"] = db },
                    }),
                    RetryPolicy = new CfnSchedule.RetryPolicyProperty { MaximumRetryAttempts = 3, MaximumEventAgeInSeconds = 3600 },
                },
            });
            schedule.Node.AddDependency(lake.Athena);
            minute += 10;
        }

        CurationRole = role;
    }

    /// <summary>The role the sources' merges run as (null when no source is configured).</summary>
    public Role? CurationRole { get; private set; }

    private const string MergeSales = """
        MERGE INTO curated_sales t
        USING (
          SELECT op, cdc_ts, sale_id, store_id, sku, quantity, unit_price, sold_at,
                 date_format(sold_at, '%Y-%m-%d') AS dt
          FROM (
            SELECT r.*, row_number() OVER (PARTITION BY sale_id ORDER BY cdc_ts DESC) AS latest
            FROM raw_sales r
            WHERE r.dt >= cast(current_date - interval '3' day AS varchar)
          )
          WHERE latest = 1
        ) s
        ON t.sale_id = s.sale_id
        WHEN MATCHED AND s.op = 'D' THEN DELETE
        WHEN MATCHED THEN UPDATE SET cdc_ts = s.cdc_ts, store_id = s.store_id, sku = s.sku, quantity = s.quantity,
          unit_price = s.unit_price, sold_at = s.sold_at, dt = s.dt
        WHEN NOT MATCHED AND s.op <> 'D' THEN INSERT (cdc_ts, sale_id, store_id, sku, quantity, unit_price, sold_at, dt)
          VALUES (s.cdc_ts, s.sale_id, s.store_id, s.sku, s.quantity, s.unit_price, s.sold_at, s.dt)
        """;

    private const string MergePurchases = """
        MERGE INTO curated_purchases t
        USING (
          SELECT event, purchase_id, customer_id, store_id, sku, cast(quantity AS integer) AS quantity,
                 cast(from_iso8601_timestamp(purchased_at) AS timestamp) AS purchased_at,
                 date_format(from_iso8601_timestamp(purchased_at), '%Y-%m-%d') AS dt
          FROM (
            SELECT r.*, row_number() OVER (PARTITION BY purchase_id ORDER BY approximate_s DESC) AS latest
            FROM raw_purchases r
            WHERE r.dt >= cast(current_date - interval '3' day AS varchar)
          )
          WHERE latest = 1
        ) s
        ON t.purchase_id = s.purchase_id
        WHEN MATCHED AND s.event = 'REMOVE' THEN DELETE
        WHEN MATCHED THEN UPDATE SET customer_id = s.customer_id, store_id = s.store_id, sku = s.sku,
          quantity = s.quantity, purchased_at = s.purchased_at, dt = s.dt
        WHEN NOT MATCHED AND s.event <> 'REMOVE' THEN INSERT (purchase_id, customer_id, store_id, sku, quantity, purchased_at, dt)
          VALUES (s.purchase_id, s.customer_id, s.store_id, s.sku, s.quantity, s.purchased_at, s.dt)
        """;

    /// <summary>The named query joining the transactional sources with shelf picks per store, SKU and day.</summary>
    public static string SalesVsPicks(bool sales, bool purchases) => $$"""
        WITH picked AS (
          SELECT store, sku, dt AS day, sum(-delta) AS items_picked
          FROM curated_events
          WHERE dt >= cast(current_date - interval '30' day AS varchar)
            AND schema = 'shelf.event.v1' AND type = 'pick'
          GROUP BY store, sku, dt
        ),
        sold AS (
          {{(sales
              ? "SELECT store_id AS store, sku, dt AS day, sum(quantity) AS units_sold FROM curated_sales " +
                "WHERE dt >= cast(current_date - interval '30' day AS varchar) GROUP BY store_id, sku, dt"
              : "SELECT store, sku, day, CAST(NULL AS bigint) AS units_sold FROM picked WHERE false")}}
        ),
        bought AS (
          {{(purchases
              ? "SELECT store_id AS store, sku, dt AS day, sum(quantity) AS units_bought FROM curated_purchases " +
                "WHERE dt >= cast(current_date - interval '30' day AS varchar) GROUP BY store_id, sku, dt"
              : "SELECT store, sku, day, CAST(NULL AS bigint) AS units_bought FROM picked WHERE false")}}
        ),
        keys AS (
          SELECT store, sku, day FROM picked UNION SELECT store, sku, day FROM sold UNION SELECT store, sku, day FROM bought
        )
        SELECT k.store, k.sku, k.day,
               coalesce(s.units_sold, 0) AS units_sold,
               coalesce(b.units_bought, 0) AS units_bought,
               coalesce(p.items_picked, 0) AS items_picked,
               coalesce(p.items_picked, 0) - coalesce(s.units_sold, 0) AS picked_not_sold
        FROM keys k
        LEFT JOIN sold s ON s.store = k.store AND s.sku = k.sku AND s.day = k.day
        LEFT JOIN bought b ON b.store = k.store AND b.sku = k.sku AND b.day = k.day
        LEFT JOIN picked p ON p.store = k.store AND p.sku = k.sku AND p.day = k.day
        ORDER BY k.store, k.sku, k.day
        """;
}
