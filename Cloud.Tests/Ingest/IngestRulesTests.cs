using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace ShelfAgent.Cloud.Tests.Ingest;

[Collection(CdkSynth.Name)]
public sealed class IngestRulesTests(SynthFixture synth)
{
    private const string Enrich = "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM ";

    private JsonObject Rule(string purpose) =>
        synth.OfType("AWS::IoT::TopicRule")
            .Single(r => r.Value["Properties"]!["RuleName"]!.GetValue<string>() == $"shelfagent_test_{purpose}")
            .Value["Properties"]!["TopicRulePayload"]!.AsObject();

    private string StreamId => synth.LogicalId("AWS::Kinesis::Stream", "IngestStream");

    public static TheoryData<string, string, string> Rules => new()
    {
        { "telemetry", Enrich + "'dt/shelf/+/+/telemetry'", "Kinesis" },
        { "events", Enrich + "'dt/shelf/+/+/events'", "Firehose" },
        { "alerts", Enrich + "'dt/shelf/+/+/alerts'", "Firehose" },
        { "forecast", Enrich + "'dt/shelf/+/+/forecast'", "Firehose" },
        { "predictions", Enrich + "'dt/shelf/+/+/alerts' WHERE type = 'predicted-empty' OR type = 'predicted-empty-cleared' OR type = 'empty'", "Sqs" },
        { "stockout", Enrich + "'dt/shelf/+/+/alerts' WHERE type = 'empty' OR type = 'low'", "Sns" },
        {
            "status",
            "SELECT topic(4) AS thingName, topic(3) AS storeId, online, ts, version, timestamp() AS updatedAtMs FROM 'dt/shelf/+/+/status'",
            "DynamoDBv2"
        },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_selects_its_topic_and_has_one_action_of_its_kind_when_synthesized(string purpose, string sql, string actionKind)
    {
        var rule = Rule(purpose);
        Assert.Equal(sql, rule["Sql"]!.GetValue<string>());
        Assert.Equal("2016-03-23", rule["AwsIotSqlVersion"]!.GetValue<string>());
        Assert.False(rule["RuleDisabled"]!.GetValue<bool>());
        var action = Assert.Single(rule["Actions"]!.AsArray())!.AsObject();
        Assert.Equal(actionKind, Assert.Single(action).Key);
    }

    [Fact]
    public void Stream_rule_uses_the_thing_from_the_topic_as_partition_key_when_writing_to_kinesis()
    {
        // Partitioned by store, two devices of one store draining backlogs would exceed a shard's 1 MB/s.
        var kinesis = Rule("telemetry")["Actions"]![0]!["Kinesis"]!;
        Assert.Equal("${topic(4)}", kinesis["PartitionKey"]!.GetValue<string>());
        Assert.Equal("${" + StreamId + "}", Cfn.Render(kinesis["StreamName"]));
    }

    [Fact]
    public void Telemetry_rule_is_the_one_the_device_policy_lets_a_device_reach_through_basic_ingest_when_synthesized()
    {
        // The agent publishes telemetry to $aws/rules/{rule}/dt/shelf/{store}/{thing}/telemetry (Publish:BasicIngestRule): the
        // rule's name, the policy's topic and the SQL (the topic after the prefix, topic(3)/topic(4) unchanged) belong together.
        var name = synth.OfType("AWS::IoT::TopicRule").Select(r => r.Value["Properties"]!["RuleName"]!.GetValue<string>())
            .Single(n => n.EndsWith("_" + Topics.TelemetryRulePurpose, StringComparison.Ordinal));
        Assert.Equal("shelfagent_test_telemetry", name);
        var device = synth.OfType("AWS::IoT::Policy")
            .Single(p => p.Value["Properties"]!["PolicyName"]!.GetValue<string>() == "ShelfAgentDevice-test").Value["Properties"]!["PolicyDocument"]!;
        Assert.Contains(Cfn.Statements(device).Where(st => st.Actions.Contains("iot:Publish")).SelectMany(st => st.Resources),
            r => r.EndsWith(":topic/" + Topics.OwnTelemetryBasicIngest(name), StringComparison.Ordinal));
        Assert.Contains("FROM '" + Topics.Telemetry + "'", Rule(Topics.TelemetryRulePurpose)["Sql"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("events", "LakeEventDeliveryDeliveryStream")]
    [InlineData("alerts", "LakeEventDeliveryDeliveryStream")]
    [InlineData("forecast", "LakeForecastDeliveryDeliveryStream")]
    public void Activity_rule_writes_each_message_straight_to_its_firehose_when_a_device_publishes(string purpose, string deliveryStream)
    {
        // Issue 21: three Firehoses read the whole stream, two of them paying ingestion on telemetry only to drop it.
        var firehose = Rule(purpose)["Actions"]![0]!["Firehose"]!;
        Assert.Equal("${" + synth.LogicalId("AWS::KinesisFirehose::DeliveryStream", deliveryStream) + "}", Cfn.Render(firehose["DeliveryStreamName"]));
        Assert.False(firehose["BatchMode"]!.GetValue<bool>());
    }

    [Fact]
    public void Stock_out_rule_sends_raw_alerts_to_the_stock_out_topic_when_alert_is_empty_or_low()
    {
        var sns = Rule("stockout")["Actions"]![0]!["Sns"]!;
        var topicId = synth.LogicalId("AWS::SNS::Topic", "IngestStockOutAlerts");
        Assert.Equal("${" + topicId + "}", Cfn.Render(sns["TargetArn"]));
        Assert.Equal("RAW", sns["MessageFormat"]!.GetValue<string>());
    }

    [Fact]
    public void Status_rule_writes_the_connectivity_table_keyed_by_thing_name_when_status_or_will_arrives()
    {
        var put = Rule("status")["Actions"]![0]!["DynamoDBv2"]!["PutItem"]!;
        var tableId = synth.LogicalId("AWS::DynamoDB::Table", "IngestDeviceStatus");
        Assert.Equal("${" + tableId + "}", Cfn.Render(put["TableName"]));
        synth.Template.HasResourceProperties("AWS::DynamoDB::Table", Match.ObjectLike(new Dictionary<string, object>
        {
            ["KeySchema"] = new[] { new Dictionary<string, object> { ["AttributeName"] = "thingName", ["KeyType"] = "HASH" } },
            ["BillingMode"] = "PAY_PER_REQUEST",
        }));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_role_allows_exactly_its_one_target_when_synthesized(string purpose, string sql, string actionKind)
    {
        _ = sql;
        var action = Rule(purpose)["Actions"]![0]![actionKind]!;
        var (expectedAction, expectedResource) = actionKind switch
        {
            "Kinesis" => ("kinesis:PutRecord", "${" + StreamId + ".Arn}"),
            "Firehose" => ("firehose:PutRecord", Cfn.Render(action["DeliveryStreamName"])[..^1] + ".Arn}"),
            "Sns" => ("sns:Publish", Cfn.Render(action["TargetArn"])),
            "Sqs" => ("sqs:SendMessage", "${" + synth.LogicalId("AWS::SQS::Queue", "IngestPredictionQueue") + ".Arn}"),
            _ => ("dynamodb:PutItem", "${" + synth.LogicalId("AWS::DynamoDB::Table", "IngestDeviceStatus") + ".Arn}"),
        };

        var statements = synth.RoleStatements(SynthFixture.RoleIdOf(action["RoleArn"]));
        var only = Assert.Single(statements);
        Assert.Equal([expectedAction], only.Actions);
        Assert.Equal([expectedResource], only.Resources);
    }

    [Fact]
    public void Failed_stream_actions_go_to_the_replay_queue_and_other_failures_to_the_log_group_when_an_action_fails()
    {
        var logGroupId = synth.LogicalId("AWS::Logs::LogGroup", "IngestRuleErrors");
        var queueId = synth.LogicalId("AWS::SQS::Queue", "IngestReplayQueue");
        var rules = synth.OfType("AWS::IoT::TopicRule").ToDictionary(r => r.Value["Properties"]!["RuleName"]!.GetValue<string>(), r => r.Value);
        Assert.Equal(7, rules.Count);
        foreach (var (name, rule) in rules)
        {
            var error = rule["Properties"]!["TopicRulePayload"]!["ErrorAction"]!;
            var action = rule["Properties"]!["TopicRulePayload"]!["Actions"]![0]!;
            var stream = action["Kinesis"] is not null || action["Firehose"] is not null;
            if (stream)
            {
                Assert.Equal("${" + queueId + "}", Cfn.Render(error["Sqs"]!["QueueUrl"]));
                var statement = Assert.Single(synth.RoleStatements(SynthFixture.RoleIdOf(error["Sqs"]!["RoleArn"])));
                Assert.Equal(["sqs:SendMessage"], statement.Actions);
                Assert.Equal(["${" + queueId + ".Arn}"], statement.Resources);
            }
            else
            {
                var logs = error["CloudwatchLogs"]!;
                Assert.Equal("${" + logGroupId + "}", Cfn.Render(logs["LogGroupName"]));
                var statement = Assert.Single(synth.RoleStatements(SynthFixture.RoleIdOf(logs["RoleArn"])));
                Assert.Equal(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], statement.Actions);
            }

            Assert.True(stream == (name.EndsWith("_telemetry", StringComparison.Ordinal) || name.EndsWith("_events", StringComparison.Ordinal)
                || name.EndsWith("_alerts", StringComparison.Ordinal) || name.EndsWith("_forecast", StringComparison.Ordinal)), name);
        }
    }

    [Fact]
    public void Replay_queue_keeps_failures_two_weeks_over_tls_and_is_drained_by_the_replay_function_when_synthesized()
    {
        var queue = synth.PropertiesOf("AWS::SQS::Queue", "IngestReplayQueue");
        Assert.Equal(1209600, queue["MessageRetentionPeriod"]!.GetValue<int>());
        Assert.Equal(5, queue["RedrivePolicy"]!["maxReceiveCount"]!.GetValue<int>());
        Assert.Equal(
            "${" + synth.LogicalId("AWS::SQS::Queue", "IngestReplayDeadLetters") + ".Arn}", Cfn.Render(queue["RedrivePolicy"]!["deadLetterTargetArn"]));
        var mapping = synth.PropertiesOf("AWS::Lambda::EventSourceMapping");
        Assert.Equal("${" + synth.LogicalId("AWS::SQS::Queue", "IngestReplayQueue") + ".Arn}", Cfn.Render(mapping["EventSourceArn"]));
        Assert.Equal(["ReportBatchItemFailures"], Cfn.List(mapping["FunctionResponseTypes"]));
        var function = synth.ResourceMap[synth.LogicalId("AWS::Lambda::Function", "ReplayFunction")]!["Properties"]!;
        Assert.Equal("${" + synth.LogicalId("AWS::Kinesis::Stream", "IngestStream") + "}", Cfn.Render(function["Environment"]!["Variables"]!["STREAM_NAME"]));
        var statements = synth.RoleStatements(SynthFixture.RoleIdOf(function["Role"]));
        Assert.Contains(statements, s => s.Actions.SequenceEqual(["kinesis:PutRecords"]));
        Assert.Contains(statements, s => s.Actions.SequenceEqual(["firehose:PutRecordBatch"]) && s.Resources.Count == 2);
        Assert.Contains(statements, s => s.Actions.SequenceEqual(["s3:GetObject"]) && s.Resources.Single().EndsWith("/errors/*", StringComparison.Ordinal));
        // TLS only on every queue.
        Assert.All(synth.OfType("AWS::SQS::QueuePolicy"), p => Assert.Contains(Cfn.Statements(p.Value["Properties"]!["PolicyDocument"]!),
            s => s.Raw["Effect"]!.GetValue<string>() == "Deny" && s.Raw["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>() == "false"));
        Assert.Equal(4, synth.OfType("AWS::SQS::QueuePolicy").Count());
    }

    [Fact]
    public void Every_sns_topic_refuses_publishers_without_tls_when_synthesized()
    {
        var topics = synth.OfType("AWS::SNS::Topic").Select(t => "${" + t.Key + "}").ToList();
        Assert.Equal(4, topics.Count); // stock-outs, predicted-empty, ops alarms, release notices
        foreach (var topic in topics)
        {
            var policy = synth.OfType("AWS::SNS::TopicPolicy").Single(p => Cfn.List(p.Value["Properties"]!["Topics"]).Contains(topic));
            Assert.Contains(Cfn.Statements(policy.Value["Properties"]!["PolicyDocument"]!), s =>
                s.Raw["Effect"]!.GetValue<string>() == "Deny" && s.Actions.Contains("sns:Publish")
                && s.Raw["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>() == "false");
        }
    }

    [Fact]
    public void Stream_is_encrypted_and_keeps_a_day_when_synthesized()
    {
        synth.Template.HasResourceProperties("AWS::Kinesis::Stream", Match.ObjectLike(new Dictionary<string, object>
        {
            ["RetentionPeriodHours"] = 24,
            ["ShardCount"] = 1,
            ["StreamEncryption"] = new Dictionary<string, object> { ["EncryptionType"] = "KMS", ["KeyId"] = "alias/aws/kinesis" },
        }));
    }
}
