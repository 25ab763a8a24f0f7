using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests;

/// <summary>The parts that are off by default (or need existing identifiers), synthesized on and off.</summary>
[Collection(CdkSynth.Name)]
public sealed class OptionalPartsTests(SynthFixture synth, FullSynthFixture full)
{
    private SynthFixture Full => full.Synth;

    [Theory]
    [InlineData("AWS::DMS::ReplicationConfig")]
    [InlineData("AWS::DMS::Endpoint")]
    [InlineData("AWS::RedshiftServerless::Workgroup")]
    [InlineData("AWS::RedshiftServerless::Namespace")]
    [InlineData("AWS::SageMaker::Pipeline")]
    public void Leaves_out_what_costs_money_or_needs_existing_resources_when_no_context_asks_for_it(string type)
    {
        Assert.Empty(synth.OfType(type));
        Assert.NotEmpty(Full.OfType(type));
    }

    [Fact]
    public void Purchases_pipe_sends_undeliverable_records_to_an_alarmed_dead_letter_queue_when_firehose_refuses()
    {
        var source = Full.PropertiesOf("AWS::Pipes::Pipe", "SourcesPurchasesPipe")["SourceParameters"]!["DynamoDBStreamParameters"]!;
        var dlq = Full.LogicalId("AWS::SQS::Queue", "SourcesPurchasesDeadLetters");
        Assert.Equal("${" + dlq + ".Arn}", Cfn.Render(source["DeadLetterConfig"]!["Arn"]));
        Assert.Equal(10, source["MaximumRetryAttempts"]!.GetValue<int>());
        var delivery = Full.PropertiesOf("AWS::KinesisFirehose::DeliveryStream", "SourcesPurchasesDelivery");
        Assert.Equal("AWS_OWNED_CMK", delivery["DeliveryStreamEncryptionConfigurationInput"]!["KeyType"]!.GetValue<string>());
        var alarms = Full.OfType("AWS::CloudWatch::Alarm").Select(a => a.Value["Properties"]!);
        Assert.Contains(alarms, a => a["MetricName"]?.GetValue<string>() == "ApproximateNumberOfMessagesVisible"
            && Cfn.Render(a["Dimensions"]![0]!["Value"]) == "${" + dlq + ".QueueName}");
    }

    [Fact]
    public void Replicates_the_sales_table_by_change_data_capture_into_raw_sales_when_a_database_is_given()
    {
        var config = Full.PropertiesOf("AWS::DMS::ReplicationConfig");
        Assert.Equal("full-load-and-cdc", config["ReplicationType"]!.GetValue<string>());
        Assert.Equal("public", config["TableMappings"]!["rules"]![0]!["object-locator"]!["schema-name"]!.GetValue<string>());
        Assert.Equal("sales", config["TableMappings"]!["rules"]![0]!["object-locator"]!["table-name"]!.GetValue<string>());
        Assert.Equal(["sg-0123456789abcdef0"], Cfn.List(config["ComputeConfig"]!["VpcSecurityGroupIds"]));
        var endpoints = Full.OfType("AWS::DMS::Endpoint").Select(e => e.Value["Properties"]!).ToList();
        var source = endpoints.Single(e => e["EndpointType"]!.GetValue<string>() == "source");
        Assert.Equal("postgres", source["EngineName"]!.GetValue<string>());
        Assert.Equal(FullSynthFixture.Context["salesDbSecretArn"], source["PostgreSqlSettings"]!["SecretsManagerSecretId"]!.GetValue<string>());
        var target = endpoints.Single(e => e["EndpointType"]!.GetValue<string>() == "target")["S3Settings"]!;
        Assert.Equal("parquet", target["DataFormat"]!.GetValue<string>());
        Assert.Equal("sales", target["BucketFolder"]!.GetValue<string>());
        Assert.Equal("${" + Full.LogicalId("AWS::S3::Bucket", "LakeBucketsRaw") + "}", Cfn.Render(target["BucketName"]));
    }

    [Fact]
    public void Sales_merge_reads_only_recent_commit_day_folders_when_dms_partitions_them_by_date()
    {
        var target = Full.OfType("AWS::DMS::Endpoint").Select(e => e.Value["Properties"]!)
            .Single(e => e["EndpointType"]!.GetValue<string>() == "target")["S3Settings"]!;
        Assert.True(target["DatePartitionEnabled"]!.GetValue<bool>());
        // YYYYMMDD joined by DASH: sales/<schema>/<table>/2026-12-07/, the yyyy-MM-dd day raw_sales projects as dt.
        Assert.Equal("YYYYMMDD", target["DatePartitionSequence"]!.GetValue<string>());
        Assert.Equal("DASH", target["DatePartitionDelimiter"]!.GetValue<string>());
        var input = Full.OfType("AWS::Glue::Table").Select(t => t.Value["Properties"]!["TableInput"]!)
            .Single(t => t["Name"]!.GetValue<string>() == "raw_sales");
        Assert.Equal("dt", Assert.Single(input["PartitionKeys"]!.AsArray())!["Name"]!.GetValue<string>());
        var parameters = input["Parameters"]!;
        Assert.Equal("true", parameters["projection.enabled"]!.GetValue<string>());
        Assert.Equal("yyyy-MM-dd", parameters["projection.dt.format"]!.GetValue<string>());
        var raw = "${" + Full.LogicalId("AWS::S3::Bucket", "LakeBucketsRaw") + "}";
        Assert.Equal($"s3://{raw}/sales/public/sales/${{dt}}/", Cfn.Render(parameters["storage.location.template"]));
        Assert.Equal($"s3://{raw}/sales/public/sales/", Cfn.Render(input["StorageDescriptor"]!["Location"]));
        var merge = Full.OfType("AWS::Athena::NamedQuery").Select(q => q.Value["Properties"]!)
            .Single(q => q["Name"]!.GetValue<string>() == "curate-sales");
        var sql = Cfn.Render(merge["QueryString"]);
        Assert.Contains("FROM raw_sales r", sql, StringComparison.Ordinal);
        Assert.Contains("WHERE r.dt >= cast(current_date - interval '3' day AS varchar)", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("cdc_ts >=", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Sales_replication_alarms_to_the_ops_topic_when_it_lags_an_hour_or_publishes_no_latency()
    {
        var config = Full.PropertiesOf("AWS::DMS::ReplicationConfig");
        var id = config["ReplicationConfigIdentifier"]!.GetValue<string>();
        Assert.Equal(id, config["ResourceIdentifier"]!.GetValue<string>());
        var alarm = Assert.Single(Full.OfType("AWS::CloudWatch::Alarm").Select(a => a.Value["Properties"]!),
            a => a["Namespace"]?.GetValue<string>() == "AWS/DMS");
        Assert.Equal("CDCLatencyTarget", alarm["MetricName"]!.GetValue<string>());
        var dimension = Assert.Single(alarm["Dimensions"]!.AsArray())!;
        Assert.Equal("ReplicationConfigId", dimension["Name"]!.GetValue<string>());
        Assert.Equal(id, dimension["Value"]!.GetValue<string>());
        Assert.Equal(3600, alarm["Threshold"]!.GetValue<double>());
        // A failed or stopped replication publishes nothing: that must alarm too.
        Assert.Equal("breaching", alarm["TreatMissingData"]!.GetValue<string>());
        Assert.Equal("ShelfAgent-full-SalesReplication", alarm["AlarmName"]!.GetValue<string>());
        var topic = "${" + Full.LogicalId("AWS::SNS::Topic", "MonitoringOpsAlarms") + "}";
        Assert.Equal([topic], Cfn.List(alarm["AlarmActions"]));
        Assert.DoesNotContain(synth.OfType("AWS::CloudWatch::Alarm"), a => a.Value["Properties"]!["Namespace"]?.GetValue<string>() == "AWS/DMS");
    }

    [Fact]
    public void Streams_purchase_changes_through_a_pipe_and_firehose_into_raw_purchases_when_a_table_stream_is_given()
    {
        var pipe = Full.OfType("AWS::Pipes::Pipe")
            .Select(p => p.Value["Properties"]!)
            .Single(p => p["Name"]!.GetValue<string>().EndsWith("-purchases", StringComparison.Ordinal));
        Assert.Equal(FullSynthFixture.Context["purchasesStreamArn"], pipe["Source"]!.GetValue<string>());
        var firehose = Full.LogicalId("AWS::KinesisFirehose::DeliveryStream", "SourcesPurchasesDelivery");
        Assert.Equal("${" + firehose + ".Arn}", Cfn.Render(pipe["Target"]));
        var s3 = Full.ResourceMap[firehose]!["Properties"]!["ExtendedS3DestinationConfiguration"]!;
        Assert.Equal("purchases/dt=!{partitionKeyFromQuery:dt}/", s3["Prefix"]!.GetValue<string>());
    }

    [Fact]
    public void Curates_the_sources_and_names_the_sales_vs_picks_query_when_they_are_configured()
    {
        var tables = Full.OfType("AWS::Glue::Table").Select(t => t.Value["Properties"]!["TableInput"]!["Name"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "raw_sales", "curated_sales", "raw_purchases", "curated_purchases" }, tables);
        var queries = Full.OfType("AWS::Athena::NamedQuery")
            .ToDictionary(q => q.Value["Properties"]!["Name"]!.GetValue<string>(), q => Cfn.Render(q.Value["Properties"]!["QueryString"]));
        Assert.Contains("FROM curated_sales", queries["sales-vs-picks"], StringComparison.Ordinal);
        Assert.Contains("FROM curated_purchases", queries["sales-vs-picks"], StringComparison.Ordinal);
        Assert.Contains("FROM curated_events", queries["sales-vs-picks"], StringComparison.Ordinal);
        Assert.Contains("ON t.sale_id = s.sale_id", queries["curate-sales"], StringComparison.Ordinal);
        Assert.Contains("WHEN MATCHED AND s.op = 'D' THEN DELETE", queries["curate-sales"], StringComparison.Ordinal);
        Assert.Contains("ON t.purchase_id = s.purchase_id", queries["curate-purchases"], StringComparison.Ordinal);
        Assert.DoesNotContain(synth.OfType("AWS::Athena::NamedQuery"), q => q.Value["Properties"]!["Name"]!.GetValue<string>() == "sales-vs-picks");
        // Lake Formation: the new curated tables are readable by the data scientist.
        var scientist = Full.OfType("AWS::IAM::Role")
            .Single(r => r.Value["Properties"]!["RoleName"]?.GetValue<string>() == "shelfagent-full-data-scientist").Key;
        Assert.Contains(Full.OfType("AWS::LakeFormation::PrincipalPermissions"), g =>
            g.Value["Properties"]!["Resource"]!["Table"]?["Name"]?.GetValue<string>() == "curated_sales"
            && SynthFixture.RoleIdOf(g.Value["Properties"]!["Principal"]!["DataLakePrincipalIdentifier"]) == scientist);
    }

    [Fact]
    public void Redshift_reads_the_curated_tables_through_its_default_role_when_enabled()
    {
        var ns = Full.PropertiesOf("AWS::RedshiftServerless::Namespace");
        Assert.True(ns["ManageAdminPassword"]!.GetValue<bool>());
        var role = SynthFixture.RoleIdOf(ns["DefaultIamRoleArn"]);
        Assert.Equal(8, Full.PropertiesOf("AWS::RedshiftServerless::Workgroup")["BaseCapacity"]!.GetValue<int>());
        Assert.False(Full.PropertiesOf("AWS::RedshiftServerless::Workgroup")["PubliclyAccessible"]!.GetValue<bool>());
        var grants = Full.OfType("AWS::LakeFormation::PrincipalPermissions").Select(g => g.Value["Properties"]!)
            .Where(g => g["Resource"]!["Table"] is not null && SynthFixture.RoleIdOf(g["Principal"]!["DataLakePrincipalIdentifier"]) == role)
            .Select(g => g["Resource"]!["Table"]!["Name"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "curated_readings", "curated_events", "curated_forecasts", "curated_sales", "curated_purchases" }, grants);
    }

    [Fact]
    public void SageMaker_pipeline_trains_on_the_training_dataset_into_the_model_bucket_when_enabled()
    {
        var pipeline = Full.PropertiesOf("AWS::SageMaker::Pipeline");
        var body = JsonNode.Parse(Cfn.Render(pipeline["PipelineDefinition"]!["PipelineDefinitionBody"]))!;
        var step = Assert.Single(body["Steps"]!.AsArray())!;
        Assert.Equal("Training", step["Type"]!.GetValue<string>());
        var curated = "${" + Full.LogicalId("AWS::S3::Bucket", "LakeBucketsCurated") + "}";
        var data = body["Parameters"]!.AsArray().Single(p => p!["Name"]!.GetValue<string>() == "TrainingData")!;
        Assert.Equal($"s3://{curated}/training/hourly-picks/", data["DefaultValue"]!.GetValue<string>());
        Assert.Equal("application/x-parquet", step["Arguments"]!["InputDataConfig"]![0]!["ContentType"]!.GetValue<string>());
        var models = "${" + Full.LogicalId("AWS::S3::Bucket", "LakeBucketsModelArtifacts") + "}";
        Assert.Equal($"s3://{models}/demand/", step["Arguments"]!["OutputDataConfig"]!["S3OutputPath"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("salesDbEngine")]
    [InlineData("salesDbName")]
    [InlineData("salesDbSubnetIds")]
    [InlineData("salesDbSecurityGroupIds")]
    public void Names_the_missing_key_when_the_sales_database_is_configured_halfway(string missing)
    {
        var context = FullSynthFixture.Context.Where(c => c.Key != missing).ToDictionary(c => c.Key, c => c.Value.ToString());
        var error = Assert.Throws<ArgumentException>(() => CloudOptions.FromContext(k => context.GetValueOrDefault(k)));
        Assert.Contains($"'{missing}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_missing_training_image_when_sagemaker_is_asked_for()
    {
        var error = Assert.Throws<ArgumentException>(() => CloudOptions.FromContext(k => k == "sagemaker" ? "true" : null));
        Assert.Contains("'trainingImage'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_inline_function_runs_the_tested_code_in_both_configurations()
    {
        var inline = Full.OfType("AWS::Lambda::Function")
            .Where(f => !f.Key.StartsWith("ReleaseWatch", StringComparison.Ordinal) && !f.Key.StartsWith("ReleaseCanary", StringComparison.Ordinal));
        Assert.All(inline, f =>
            Assert.Contains(f.Value["Properties"]!["Code"]!["ZipFile"]!.GetValue<string>(), LambdaSource.All.Select(LambdaSource.Read)));
    }
}
