using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace ShelfAgent.Cloud.Tests.Lake;

[Collection(CdkSynth.Name)]
public sealed class DataLakeTests(SynthFixture synth)
{
    private JsonObject Firehose => synth.PropertiesOf("AWS::KinesisFirehose::DeliveryStream", "LakeDeliveryDeliveryStream");

    private JsonObject EventFirehose => synth.PropertiesOf("AWS::KinesisFirehose::DeliveryStream", "LakeEventDeliveryDeliveryStream");

    private JsonNode S3 => Firehose["ExtendedS3DestinationConfiguration"]!;

    [Fact]
    public void Firehose_reads_the_ingest_stream_when_delivering()
    {
        Assert.Equal("KinesisStreamAsSource", Firehose["DeliveryStreamType"]!.GetValue<string>());
        var streamId = synth.LogicalId("AWS::Kinesis::Stream", "IngestStream");
        Assert.Equal("${" + streamId + ".Arn}", Cfn.Render(Firehose["KinesisStreamSourceConfiguration"]!["KinesisStreamARN"]));
    }

    [Fact]
    public void Raw_bucket_keeps_deleted_objects_30_days_when_a_profile_deletes_there()
    {
        // Issue 21: the data-engineer profile may delete in raw, the only copy of what devices sent, and it was unversioned.
        var raw = synth.PropertiesOf("AWS::S3::Bucket", "LakeBucketsRaw");
        Assert.Equal("Enabled", raw["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        Assert.Contains(raw["LifecycleConfiguration"]!["Rules"]!.AsArray(),
            r => r!["Id"]!.GetValue<string>() == "raw-noncurrent-expire" && r["NoncurrentVersionExpiration"]!["NoncurrentDays"]!.GetValue<int>() == 30);
    }

    [Fact]
    public void Only_the_readings_firehose_reads_the_stream_when_synthesized()
    {
        // Issue 21: three Firehoses each read the whole stream (2 MB/s of reads per shard, shared) and two paid
        // ingestion on every telemetry record only to drop it. Now one reader; events and forecasts come Direct PUT.
        var streamId = synth.LogicalId("AWS::Kinesis::Stream", "IngestStream");
        var readers = synth.OfType("AWS::KinesisFirehose::DeliveryStream")
            .Where(f => Cfn.Render(f.Value["Properties"]!["KinesisStreamSourceConfiguration"]?["KinesisStreamARN"]) == "${" + streamId + ".Arn}")
            .Select(f => f.Key).ToList();
        Assert.Equal([synth.LogicalId("AWS::KinesisFirehose::DeliveryStream", "LakeDeliveryDeliveryStream")], readers);
        var streamReaders = synth.OfType("AWS::IAM::Policy")
            .Where(p => Cfn.Statements(p.Value["Properties"]!["PolicyDocument"]!).Any(st => st.Actions.Contains("kinesis:GetRecords")));
        Assert.Single(streamReaders);
    }

    [Fact]
    public void Firehose_partitions_raw_readings_by_store_and_date_when_delivering()
    {
        var rawId = synth.LogicalId("AWS::S3::Bucket", "LakeBucketsRaw");
        Assert.Equal("${" + rawId + ".Arn}", Cfn.Render(S3["BucketARN"]));
        Assert.Equal("readings/dt=!{partitionKeyFromLambda:dt}/", S3["Prefix"]!.GetValue<string>());
        Assert.StartsWith("errors/readings/!{firehose:error-output-type}/", S3["ErrorOutputPrefix"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(S3["DynamicPartitioningConfiguration"]!["Enabled"]!.GetValue<bool>());

        var processor = Assert.Single(S3["ProcessingConfiguration"]!["Processors"]!.AsArray())!;
        Assert.Equal("Lambda", processor["Type"]!.GetValue<string>());
        var functionId = synth.LogicalId("AWS::Lambda::Function", "LakeDeliveryTransform");
        var lambdaArn = processor["Parameters"]!.AsArray().Single(p => p!["ParameterName"]!.GetValue<string>() == "LambdaArn");
        Assert.Equal("${" + functionId + ".Arn}", Cfn.Render(lambdaArn!["ParameterValue"]));
        // Lambda answers at most 6 MB: the buffer is sized from the worst expansion (TransformLimitsTests).
        var buffer = processor["Parameters"]!.AsArray().Single(p => p!["ParameterName"]!.GetValue<string>() == "BufferSizeInMBs");
        Assert.Equal("0.2", buffer!["ParameterValue"]!.GetValue<string>());
    }

    [Fact]
    public void Firehose_converts_json_lines_to_snappy_parquet_through_the_raw_glue_table_when_delivering()
    {
        var conversion = S3["DataFormatConversionConfiguration"]!;
        Assert.True(conversion["Enabled"]!.GetValue<bool>());
        Assert.NotNull(conversion["InputFormatConfiguration"]!["Deserializer"]!["OpenXJsonSerDe"]);
        Assert.Equal("SNAPPY", conversion["OutputFormatConfiguration"]!["Serializer"]!["ParquetSerDe"]!["Compression"]!.GetValue<string>());
        var schema = conversion["SchemaConfiguration"]!;
        Assert.Equal("shelfagent_test", schema["DatabaseName"]!.GetValue<string>());
        Assert.Equal("raw_readings", schema["TableName"]!.GetValue<string>());
        Assert.Equal("LATEST", schema["VersionId"]!.GetValue<string>());
        Assert.Equal("UNCOMPRESSED", S3["CompressionFormat"]!.GetValue<string>());
        Assert.True(S3["BufferingHints"]!["SizeInMBs"]!.GetValue<int>() >= 64, "Format conversion requires buffers of at least 64 MB.");
    }

    [Fact]
    public void Every_firehose_matches_camel_case_keys_to_glue_columns_when_converting()
    {
        // Glue keeps column names in lower case; a case-sensitive OpenX SerDe turned timeUntrusted, expectedEmpty,
        // ratePerHour, horizonMinutes and probEmpty into NULL without an error.
        var streams = synth.OfType("AWS::KinesisFirehose::DeliveryStream")
            .Where(d => d.Value["Properties"]!["ExtendedS3DestinationConfiguration"]?["DataFormatConversionConfiguration"] is not null).ToList();
        Assert.Equal(3, streams.Count);
        Assert.All(streams, d => Assert.True(d.Value["Properties"]!["ExtendedS3DestinationConfiguration"]!["DataFormatConversionConfiguration"]!
            ["InputFormatConfiguration"]!["Deserializer"]!["OpenXJsonSerDe"]!["CaseInsensitive"]!.GetValue<bool>()));
        var columns = synth.OfType("AWS::Glue::Table").SelectMany(t => t.Value["Properties"]!["TableInput"]!["StorageDescriptor"]!["Columns"]!.AsArray())
            .Select(c => c!["Name"]!.GetValue<string>()).ToHashSet();
        Assert.Contains("expectedEmpty", columns);
    }

    [Fact]
    public void Raw_tables_are_parquet_with_projected_arrival_day_partitions_when_synthesized()
    {
        var tables = synth.OfType("AWS::Glue::Table").Select(t => t.Value["Properties"]!)
            .Where(t => t["OpenTableFormatInput"] is null).Select(t => t["TableInput"]!).ToList();
        Assert.Equal(["raw_events", "raw_forecasts", "raw_readings"], tables.Select(t => t["Name"]!.GetValue<string>()).Order());
        foreach (var table in tables)
        {
            Assert.Equal(["dt"], table["PartitionKeys"]!.AsArray().Select(k => k!["Name"]!.GetValue<string>()));
            var storage = table["StorageDescriptor"]!;
            Assert.Equal("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", storage["SerdeInfo"]!["SerializationLibrary"]!.GetValue<string>());
            var folder = "/" + table["Name"]!.GetValue<string>()[4..] + "/";
            Assert.EndsWith(folder, Cfn.Render(storage["Location"]), StringComparison.Ordinal);
            // Partition projection: Athena computes the partitions, nothing runs MSCK REPAIR.
            var p = table["Parameters"]!;
            Assert.Equal("true", p["projection.enabled"]!.GetValue<string>());
            Assert.Equal("date", p["projection.dt.type"]!.GetValue<string>());
            Assert.Equal("yyyy-MM-dd", p["projection.dt.format"]!.GetValue<string>());
            Assert.EndsWith(",NOW", p["projection.dt.range"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(Cfn.Render(storage["Location"]) + "dt=${dt}/", Cfn.Render(p["storage.location.template"]));
        }
    }

    [Fact]
    public void Curated_tables_are_iceberg_v2_in_the_curated_bucket_when_synthesized()
    {
        var curated = "s3://${" + synth.LogicalId("AWS::S3::Bucket", "LakeBucketsCurated") + "}/";
        var tables = synth.OfType("AWS::Glue::Table").Select(t => t.Value["Properties"]!).Where(t => t["OpenTableFormatInput"] is not null).ToList();
        Assert.Equal(["curated_events", "curated_forecasts", "curated_readings"], tables.Select(t => t["TableInput"]!["Name"]!.GetValue<string>()).Order());
        Assert.All(tables, t =>
        {
            Assert.Equal("CREATE", t["OpenTableFormatInput"]!["IcebergInput"]!["MetadataOperation"]!.GetValue<string>());
            Assert.Equal("2", t["OpenTableFormatInput"]!["IcebergInput"]!["Version"]!.GetValue<string>());
            Assert.StartsWith(curated, Cfn.Render(t["TableInput"]!["StorageDescriptor"]!["Location"]), StringComparison.Ordinal);
            Assert.Equal("dt", t["TableInput"]!["StorageDescriptor"]!["Columns"]!.AsArray().Last()!["Name"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Every_bucket_is_encrypted_private_and_tls_only_when_synthesized()
    {
        var buckets = synth.OfType("AWS::S3::Bucket").ToList();
        // The lake's four and the agent release bucket.
        Assert.Equal(5, buckets.Count);
        foreach (var (id, bucket) in buckets)
        {
            var props = bucket["Properties"]!;
            var sse = props["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!;
            Assert.Equal("AES256", sse["SSEAlgorithm"]!.GetValue<string>());
            var block = props["PublicAccessBlockConfiguration"]!.AsObject();
            Assert.Equal(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], block.Select(b => b.Key).Order());
            Assert.All(block, b => Assert.True(b.Value!.GetValue<bool>()));

            var policy = synth.OfType("AWS::S3::BucketPolicy")
                .Single(p => Cfn.Render(p.Value["Properties"]!["Bucket"]) == "${" + id + "}").Value["Properties"]!["PolicyDocument"]!;
            Assert.Contains(Cfn.Statements(policy), s =>
                s.Raw["Effect"]!.GetValue<string>() == "Deny"
                && s.Actions.SequenceEqual(["s3:*"])
                && s.Raw["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>() == "false");
        }
    }

    [Fact]
    public void Errors_are_kept_as_long_as_raw_data_when_they_are_the_only_copy()
    {
        var rules = synth.PropertiesOf("AWS::S3::Bucket", "LakeBucketsRaw")["LifecycleConfiguration"]!["Rules"]!.AsArray();
        var errors = rules.Single(r => r!["Prefix"]?.GetValue<string>() == "errors/")!;
        Assert.Equal(730, errors["ExpirationInDays"]!.GetValue<int>());
    }

    [Fact]
    public void Forecast_firehose_flushes_every_two_minutes_for_the_restock_list_when_delivering()
    {
        var s3 = synth.PropertiesOf("AWS::KinesisFirehose::DeliveryStream", "LakeForecastDeliveryDeliveryStream")["ExtendedS3DestinationConfiguration"]!;
        Assert.Equal("forecasts/dt=!{partitionKeyFromLambda:dt}/", s3["Prefix"]!.GetValue<string>());
        Assert.Equal("raw_forecasts", s3["DataFormatConversionConfiguration"]!["SchemaConfiguration"]!["TableName"]!.GetValue<string>());
        Assert.Equal(120, s3["BufferingHints"]!["IntervalInSeconds"]!.GetValue<int>());
        var functionId = synth.LogicalId("AWS::Lambda::Function", "LakeForecastDeliveryTransform");
        Assert.Equal("forecasts", synth.ResourceMap[functionId]!["Properties"]!["Environment"]!["Variables"]!["OUTPUT"]!.GetValue<string>());
    }

    [Fact]
    public void Every_bucket_has_lifecycle_rules_when_synthesized()
    {
        foreach (var (_, bucket) in synth.OfType("AWS::S3::Bucket"))
        {
            var rules = bucket["Properties"]!["LifecycleConfiguration"]!["Rules"]!.AsArray();
            Assert.Contains(rules, r => r!["AbortIncompleteMultipartUpload"] is not null);
            Assert.Contains(rules, r => r!["AbortIncompleteMultipartUpload"] is null);
        }
    }

    [Fact]
    public void Raw_readings_age_out_to_glacier_and_expire_when_old()
    {
        var rules = synth.PropertiesOf("AWS::S3::Bucket", "LakeBucketsRaw")["LifecycleConfiguration"]!["Rules"]!.AsArray();
        var readings = rules.Single(r => r!["Prefix"]?.GetValue<string>() == "readings/")!;
        Assert.Equal("GLACIER_IR", readings["Transitions"]![0]!["StorageClass"]!.GetValue<string>());
        Assert.Equal(730, readings["ExpirationInDays"]!.GetValue<int>());
    }

    [Fact]
    public void Athena_workgroup_enforces_an_encrypted_result_location_when_queries_run()
    {
        var resultsId = synth.LogicalId("AWS::S3::Bucket", "LakeBucketsAthenaResults");
        synth.Template.HasResourceProperties("AWS::Athena::WorkGroup", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "shelfagent-test",
            ["WorkGroupConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["EnforceWorkGroupConfiguration"] = true,
                ["ResultConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["EncryptionConfiguration"] = new Dictionary<string, object> { ["EncryptionOption"] = "SSE_S3" },
                }),
            }),
        }));
        var location = synth.PropertiesOf("AWS::Athena::WorkGroup", "LakeAthenaWorkGroup")["WorkGroupConfiguration"]!["ResultConfiguration"]!["OutputLocation"];
        Assert.Equal("s3://${" + resultsId + "}/athena/", Cfn.Render(location));
    }

    [Fact]
    public void Named_queries_answer_the_starter_questions_when_the_data_team_opens_athena()
    {
        var queries = synth.OfType("AWS::Athena::NamedQuery").Select(q => q.Value["Properties"]!).ToList();
        Assert.Equal(
            ["curate-events", "curate-forecasts", "curate-readings", "hours-to-empty-by-sku", "picks-per-sku-per-day", "prediction-health",
             "readings-per-store-per-day", "release-health", "restock-list", "sensors-in-fault", "slots-that-hit-zero", "train-profiles", "training-dataset"],
            queries.Select(q => q["Name"]!.GetValue<string>()).Order());
        Assert.All(queries, q =>
        {
            Assert.Equal("shelfagent_test", q["Database"]!.GetValue<string>());
            Assert.Equal("shelfagent-test", q["WorkGroup"]!.GetValue<string>());
        });
        string Sql(string name) => Cfn.Render(queries.Single(q => q["Name"]!.GetValue<string>() == name)["QueryString"]);
        Assert.Contains("\"count\" = 0", Sql("slots-that-hit-zero"), StringComparison.Ordinal);
        Assert.Contains("status = 'fault'", Sql("sensors-in-fault"), StringComparison.Ordinal);
        Assert.Contains("hours_to_empty", Sql("hours-to-empty-by-sku"), StringComparison.Ordinal);
        Assert.Contains("ON t.thing = s.thing AND t.seq = s.seq", Sql("curate-readings"), StringComparison.Ordinal);
        Assert.Contains("ON t.thing = s.thing AND t.slot = s.slot AND t.type = s.type AND t.ts = s.ts", Sql("curate-events"), StringComparison.Ordinal);
        Assert.Contains("ON t.thing = s.thing AND t.slot = s.slot AND t.ts = s.ts", Sql("curate-forecasts"), StringComparison.Ordinal);
        Assert.All(new[] { "curate-readings", "curate-events", "curate-forecasts" }, name =>
        {
            Assert.StartsWith("MERGE INTO curated_", Sql(name), StringComparison.Ordinal);
            Assert.Contains("WHEN NOT MATCHED THEN INSERT", Sql(name), StringComparison.Ordinal);
        });
        Assert.Contains("expected_empty <= current_timestamp + interval '2' hour", Sql("restock-list"), StringComparison.Ordinal);
        Assert.Contains("ORDER BY store, empties_before_refill DESC, expected_empty", Sql("restock-list"), StringComparison.Ordinal);
        Assert.Contains("'shelf.profile.v1'", Sql("train-profiles"), StringComparison.Ordinal);
        Assert.Contains("'picksPerHour'", Sql("train-profiles"), StringComparison.Ordinal);
        Assert.Contains("format = 'PARQUET'", Sql("training-dataset"), StringComparison.Ordinal);
        Assert.DoesNotContain(queries, q => Cfn.Render(q["QueryString"]).Contains("MSCK", StringComparison.Ordinal));
        // Every data query bounds the partition column, so Athena scans days, not the whole lake.
        Assert.All(
            new[]
            {
                "readings-per-store-per-day", "slots-that-hit-zero", "hours-to-empty-by-sku", "sensors-in-fault", "curate-readings",
                "picks-per-sku-per-day", "restock-list",
            },
            name => Assert.Contains("dt ", Sql(name), StringComparison.Ordinal));
    }

    [Fact]
    public void Firehose_role_reads_only_the_stream_and_writes_only_the_raw_bucket_when_synthesized()
    {
        var roleId = SynthFixture.RoleIdOf(S3["RoleARN"]);
        var statements = synth.RoleStatements(roleId);
        var rawId = synth.LogicalId("AWS::S3::Bucket", "LakeBucketsRaw");
        var s3 = statements.Where(s => s.Actions.Any(a => a.StartsWith("s3:", StringComparison.Ordinal))).ToList();
        Assert.All(s3, s => Assert.All(s.Resources, r => Assert.StartsWith("${" + rawId + ".Arn}", r, StringComparison.Ordinal)));
        Assert.DoesNotContain(statements, s => s.Actions.Contains("s3:DeleteObject"));
        Assert.All(statements, s => Assert.DoesNotContain("*", s.Resources));
    }

    [Fact]
    public void Event_firehose_takes_its_rules_records_directly_and_writes_events_as_parquet_when_delivering()
    {
        Assert.Equal("DirectPut", EventFirehose["DeliveryStreamType"]!.GetValue<string>());
        Assert.Null(EventFirehose["KinesisStreamSourceConfiguration"]);
        Assert.Equal("AWS_OWNED_CMK", EventFirehose["DeliveryStreamEncryptionConfigurationInput"]!["KeyType"]!.GetValue<string>());
        var s3 = EventFirehose["ExtendedS3DestinationConfiguration"]!;
        Assert.Equal("events/dt=!{partitionKeyFromLambda:dt}/", s3["Prefix"]!.GetValue<string>());
        Assert.Equal("raw_events", s3["DataFormatConversionConfiguration"]!["SchemaConfiguration"]!["TableName"]!.GetValue<string>());

        var functionId = synth.LogicalId("AWS::Lambda::Function", "LakeEventDeliveryTransform");
        var function = synth.ResourceMap[functionId]!["Properties"]!;
        Assert.Equal("activity", function["Environment"]!["Variables"]!["OUTPUT"]!.GetValue<string>());
        var readings = synth.ResourceMap[synth.LogicalId("AWS::Lambda::Function", "LakeDeliveryTransform")]!["Properties"]!;
        Assert.Equal("readings", readings["Environment"]!["Variables"]!["OUTPUT"]!.GetValue<string>());
    }

    [Fact]
    public void Every_function_inlines_the_tested_code_on_a_supported_runtime_when_synthesized()
    {
        // The node tests run LambdaSource.Read(file): the template must carry exactly that, on nodejs24.x.
        // The release watch and canary are past the inline limit and ship as assets (ReleaseWatchTests, ReleaseCanaryTests check their files).
        var functions = synth.OfType("AWS::Lambda::Function")
            .Where(f => !f.Key.StartsWith("ReleaseWatch", StringComparison.Ordinal) && !f.Key.StartsWith("ReleaseCanary", StringComparison.Ordinal))
            .Select(f => f.Value["Properties"]!).ToList();
        Assert.Equal(8, functions.Count);
        var sources = LambdaSource.All.Select(LambdaSource.Read).ToHashSet();
        Assert.All(functions, f =>
        {
            Assert.Contains(f["Code"]!["ZipFile"]!.GetValue<string>(), sources);
            Assert.Equal("nodejs24.x", f["Runtime"]!.GetValue<string>());
        });
    }
}
