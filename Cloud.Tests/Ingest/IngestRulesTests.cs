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
        { "events", Enrich + "'dt/shelf/+/+/events'", "Kinesis" },
        { "alerts", Enrich + "'dt/shelf/+/+/alerts'", "Kinesis" },
        { "stockout", Enrich + "'dt/shelf/+/+/alerts' WHERE type = 'empty' OR type = 'low'", "Sns" },
        { "status", "SELECT topic(4) AS thingName, topic(3) AS storeId, online, ts, version, timestamp() AS updatedAtMs FROM 'dt/shelf/+/+/status'", "DynamoDBv2" },
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

    [Theory]
    [InlineData("telemetry")]
    [InlineData("events")]
    [InlineData("alerts")]
    public void Stream_rule_uses_store_id_from_topic_as_partition_key_when_writing_to_kinesis(string purpose)
    {
        var kinesis = Rule(purpose)["Actions"]![0]!["Kinesis"]!;
        Assert.Equal("${topic(3)}", kinesis["PartitionKey"]!.GetValue<string>());
        Assert.Equal("${" + StreamId + "}", Cfn.Render(kinesis["StreamName"]));
    }

    [Fact]
    public void Stock_out_rule_sends_raw_alerts_to_the_stock_out_topic_when_alert_is_empty_or_low()
    {
        var sns = Rule("stockout")["Actions"]![0]!["Sns"]!;
        string topicId = synth.LogicalId("AWS::SNS::Topic", "IngestStockOutAlerts");
        Assert.Equal("${" + topicId + "}", Cfn.Render(sns["TargetArn"]));
        Assert.Equal("RAW", sns["MessageFormat"]!.GetValue<string>());
    }

    [Fact]
    public void Status_rule_writes_the_connectivity_table_keyed_by_thing_name_when_status_or_will_arrives()
    {
        var put = Rule("status")["Actions"]![0]!["DynamoDBv2"]!["PutItem"]!;
        string tableId = synth.LogicalId("AWS::DynamoDB::Table", "IngestDeviceStatus");
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
            "Sns" => ("sns:Publish", Cfn.Render(action["TargetArn"])),
            _ => ("dynamodb:PutItem", "${" + synth.LogicalId("AWS::DynamoDB::Table", "IngestDeviceStatus") + ".Arn}"),
        };

        var statements = synth.RoleStatements(SynthFixture.RoleIdOf(action["RoleArn"]));
        var only = Assert.Single(statements);
        Assert.Equal([expectedAction], only.Actions);
        Assert.Equal([expectedResource], only.Resources);
    }

    [Fact]
    public void Every_rule_sends_failures_to_the_rule_error_log_group_when_an_action_fails()
    {
        string logGroupId = synth.LogicalId("AWS::Logs::LogGroup", "IngestRuleErrors");
        var rules = synth.OfType("AWS::IoT::TopicRule").ToList();
        Assert.Equal(5, rules.Count);
        foreach (var (_, rule) in rules)
        {
            var logs = rule["Properties"]!["TopicRulePayload"]!["ErrorAction"]!["CloudwatchLogs"]!;
            Assert.Equal("${" + logGroupId + "}", Cfn.Render(logs["LogGroupName"]));
            var statement = Assert.Single(synth.RoleStatements(SynthFixture.RoleIdOf(logs["RoleArn"])));
            Assert.Equal(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], statement.Actions);
            Assert.Equal(["${" + logGroupId + ".Arn}"], statement.Resources);
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
