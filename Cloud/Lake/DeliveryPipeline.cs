using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KinesisFirehose;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Stream = Amazon.CDK.AWS.Kinesis.Stream;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// Source → Firehose → raw bucket. A small Lambda turns each message of its kind into JSON lines (a
/// telemetry batch into one line per reading; an event or alert into one line) and returns the partition keys
/// (dt = arrival day; store and thing from the topic are columns); Firehose converts the lines to Parquet through the spec's Glue
/// table and writes {name}/dt=…/. Readings read the Kinesis stream (its only reader); events + alerts and forecasts
/// are Direct PUT streams their IoT rules write to (Ingest.IngestRules.DeliverDirect).
/// </summary>
public sealed class DeliveryPipeline : Construct
{
    /// <summary>Creates the function, the role and the delivery stream: reading <paramref name="stream"/>, or Direct PUT when null.</summary>
    public DeliveryPipeline(Construct scope, string id, DeliverySpec spec, Stream? stream, LakeBuckets buckets, ReadingsCatalog catalog)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(catalog);
        Spec = spec;

        var transform = InlineNodeFunction.Create(this, "Transform", spec.Source,
            $"Turns shelf messages into {spec.Name} rows for Parquet",
            // Firehose waits up to 5 minutes for a transformation; a 0.2 MB batch takes well under a second.
            Duration.Minutes(1),
            new Dictionary<string, string> { ["OUTPUT"] = spec.Output });
        Transform = transform.Function;
        TransformLogs = transform.Logs;

        var logs = new LogGroup(this, "DeliveryLogs", new LogGroupProps
        {
            Retention = RetentionDays.TWO_WEEKS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var logStream = new LogStream(this, "DeliveryLogStream", new LogStreamProps
        {
            LogGroup = logs,
            LogStreamName = "S3Delivery",
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var role = Role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = ServicePrincipals.Firehose(),
            Description = $"Firehose: read the shelf stream or take its IoT rule's records, transform, convert, write raw {spec.Name}",
        });
        if (stream is not null)
        {
            role.AddToPolicy(Allow(
                ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"],
                stream.StreamArn));
        }

        role.AddToPolicy(Allow(
            ["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"],
            buckets.Raw.BucketArn, buckets.Raw.ArnForObjects("*")));
        role.AddToPolicy(Allow(
            ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
            $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}:catalog",
            $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}:database/{catalog.DatabaseName}",
            $"arn:{Aws.PARTITION}:glue:{Aws.REGION}:{Aws.ACCOUNT_ID}:table/{catalog.DatabaseName}/{spec.TableName}"));
        role.AddToPolicy(Allow(["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"], Transform.FunctionArn));
        role.AddToPolicy(Allow(["logs:PutLogEvents"], logs.LogGroupArn));

        DeliveryStream = new CfnDeliveryStream(this, "DeliveryStream", new CfnDeliveryStreamProps
        {
            DeliveryStreamType = stream is null ? "DirectPut" : "KinesisStreamAsSource",
            KinesisStreamSourceConfiguration = stream is null ? null : new CfnDeliveryStream.KinesisStreamSourceConfigurationProperty
            {
                KinesisStreamArn = stream.StreamArn,
                RoleArn = role.RoleArn,
            },
            // Server-side encryption can be set on Direct PUT streams only (a stream source keeps the stream's own).
            DeliveryStreamEncryptionConfigurationInput = stream is null
                ? new CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty { KeyType = "AWS_OWNED_CMK" }
                : null,
            ExtendedS3DestinationConfiguration = new CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty
            {
                BucketArn = buckets.Raw.BucketArn,
                RoleArn = role.RoleArn,
                Prefix = spec.Prefix,
                ErrorOutputPrefix = spec.ErrorPrefix,
                // Format conversion needs ≥ 64 MB buffers; 15 minutes keeps files per store and day few and
                // large (the real-time path is SNS, not the lake).
                BufferingHints = new CfnDeliveryStream.BufferingHintsProperty { IntervalInSeconds = spec.BufferSeconds, SizeInMBs = 128 },
                // Parquet compresses its own pages (Snappy); Firehose compression must be off with conversion.
                CompressionFormat = "UNCOMPRESSED",
                CloudWatchLoggingOptions = new CfnDeliveryStream.CloudWatchLoggingOptionsProperty
                {
                    Enabled = true,
                    LogGroupName = logs.LogGroupName,
                    LogStreamName = logStream.LogStreamName,
                },
                DynamicPartitioningConfiguration = new CfnDeliveryStream.DynamicPartitioningConfigurationProperty
                {
                    Enabled = true,
                    RetryOptions = new CfnDeliveryStream.RetryOptionsProperty { DurationInSeconds = 300 },
                },
                ProcessingConfiguration = new CfnDeliveryStream.ProcessingConfigurationProperty
                {
                    Enabled = true,
                    Processors = new object[]
                    {
                        new CfnDeliveryStream.ProcessorProperty
                        {
                            Type = "Lambda",
                            Parameters = new object[]
                            {
                                Parameter("LambdaArn", Transform.FunctionArn),
                                Parameter("NumberOfRetries", "3"),
                                // Sized from the worst expansion (v2 backlogs): DeliverySpec.LambdaBufferMb.
                                Parameter("BufferSizeInMBs", DeliverySpec.LambdaBufferMb),
                                Parameter("BufferIntervalInSeconds", "60"),
                            },
                        },
                    },
                },
                DataFormatConversionConfiguration = new CfnDeliveryStream.DataFormatConversionConfigurationProperty
                {
                    Enabled = true,
                    // OpenX reads ISO-8601 "…T…Z" strings and epoch milliseconds as timestamps. Case-insensitive:
                    // Glue keeps column names in lower case, so camelCase keys (timeUntrusted, expectedEmpty,
                    // ratePerHour, horizonMinutes, probEmpty) match their columns only this way; false made them NULL.
                    InputFormatConfiguration = new CfnDeliveryStream.InputFormatConfigurationProperty
                    {
                        Deserializer = new CfnDeliveryStream.DeserializerProperty
                        {
                            OpenXJsonSerDe = new CfnDeliveryStream.OpenXJsonSerDeProperty { CaseInsensitive = true },
                        },
                    },
                    OutputFormatConfiguration = new CfnDeliveryStream.OutputFormatConfigurationProperty
                    {
                        Serializer = new CfnDeliveryStream.SerializerProperty
                        {
                            ParquetSerDe = new CfnDeliveryStream.ParquetSerDeProperty { Compression = "SNAPPY" },
                        },
                    },
                    SchemaConfiguration = new CfnDeliveryStream.SchemaConfigurationProperty
                    {
                        CatalogId = Aws.ACCOUNT_ID,
                        Region = Aws.REGION,
                        DatabaseName = catalog.DatabaseName,
                        TableName = spec.TableName,
                        RoleArn = role.RoleArn,
                        VersionId = "LATEST",
                    },
                },
            },
        });
        // Firehose validates its role's permissions at creation: create the policies first.
        DeliveryStream.Node.AddDependency(role);
        DeliveryStream.Node.AddDependency(catalog);
    }

    /// <summary>What this pipeline delivers.</summary>
    public DeliverySpec Spec { get; }

    /// <summary>The transformation Lambda.</summary>
    public Function Transform { get; }

    /// <summary>The transformation's log group (one line per record it fails).</summary>
    public LogGroup TransformLogs { get; }

    /// <summary>The role Firehose reads, transforms, converts and writes with.</summary>
    public Role Role { get; }

    /// <summary>The delivery stream.</summary>
    public CfnDeliveryStream DeliveryStream { get; }

    private static PolicyStatement Allow(string[] actions, params string[] resources) =>
        new(new PolicyStatementProps { Actions = actions, Resources = resources });

    private static CfnDeliveryStream.ProcessorParameterProperty Parameter(string name, string value) =>
        new() { ParameterName = name, ParameterValue = value };
}
