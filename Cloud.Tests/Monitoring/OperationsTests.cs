using Amazon.CDK.Assertions;

namespace ShelfAgent.Cloud.Tests.Monitoring;

[Collection(CdkSynth.Name)]
public sealed class OperationsTests(SynthFixture synth)
{
    private List<System.Text.Json.Nodes.JsonNode> Alarms =>
        synth.OfType("AWS::CloudWatch::Alarm").Select(a => a.Value["Properties"]!).ToList();

    [Fact]
    public void Every_rule_has_an_error_alarm_when_synthesized()
    {
        var ruleAlarms = Alarms.Where(a => a["MetricName"]?.GetValue<string>() == "IotRuleErrors").ToList();
        var alarmed = ruleAlarms.Select(a => a["Dimensions"]![0]!["Value"]!.GetValue<string>()).Order();
        // Stream rules' failures are alarmed through the replay queue (Replay_failures_are_alarmed...).
        var rules = synth.OfType("AWS::IoT::TopicRule")
            .Where(r => r.Value["Properties"]!["TopicRulePayload"]!["ErrorAction"]!["CloudwatchLogs"] is not null)
            .Select(r => r.Value["Properties"]!["RuleName"]!.GetValue<string>()).Order();
        Assert.Equal(3, rules.Count());
        Assert.Equal(rules, alarmed);
        Assert.All(ruleAlarms, a => Assert.Equal("ShelfAgent", a["Namespace"]!.GetValue<string>()));
    }

    [Fact]
    public void Rule_error_metric_counts_error_action_log_lines_per_rule_when_a_rule_fails()
    {
        synth.Template.HasResourceProperties("AWS::Logs::MetricFilter", Match.ObjectLike(new Dictionary<string, object>
        {
            ["MetricTransformations"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["MetricNamespace"] = "ShelfAgent",
                    ["MetricName"] = "IotRuleErrors",
                    ["MetricValue"] = "1",
                    ["Dimensions"] = new[] { new Dictionary<string, object> { ["Key"] = "RuleName", ["Value"] = "$.ruleName" } },
                },
            },
        }));
    }

    [Fact]
    public void Stream_iterator_age_alarm_fires_after_ten_minutes_of_lag_when_consumer_falls_behind()
    {
        var alarm = Assert.Single(Alarms, a => a["MetricName"]?.GetValue<string>() == "GetRecords.IteratorAgeMilliseconds")!;
        Assert.Equal("AWS/Kinesis", alarm["Namespace"]!.GetValue<string>());
        Assert.Equal(600000, alarm["Threshold"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("DeliveryToS3.Success", "LessThanThreshold")]
    [InlineData("DeliveryToS3.DataFreshness", "GreaterThanThreshold")]
    [InlineData("FailedConversion.Records", "GreaterThanThreshold")]
    public void Each_firehose_has_a_failure_alarm_when_synthesized(string metric, string comparison)
    {
        var alarms = Alarms.Where(a => a["MetricName"]?.GetValue<string>() == metric).ToList();
        var streams = synth.OfType("AWS::KinesisFirehose::DeliveryStream").Select(d => "${" + d.Key + "}").Order();
        Assert.Equal(streams, alarms.Select(a => Cfn.Render(a["Dimensions"]![0]!["Value"])).Order());
        Assert.All(alarms, alarm =>
        {
            Assert.Equal("AWS/Firehose", alarm["Namespace"]!.GetValue<string>());
            Assert.Equal(comparison, alarm["ComparisonOperator"]!.GetValue<string>());
        });
    }

    [Fact]
    public void Each_transformation_lambda_has_an_error_alarm_when_synthesized()
    {
        var functions = synth.OfType("AWS::Lambda::Function").Select(f => "${" + f.Key + "}").Order();
        var alarmed = Alarms.Where(a => a["Namespace"]?.GetValue<string>() == "AWS/Lambda" && a["MetricName"]!.GetValue<string>() == "Errors")
            .Select(a => Cfn.Render(a["Dimensions"]![0]!["Value"])).Order();
        Assert.Equal(functions, alarmed);
    }

    [Fact]
    public void Every_alarm_notifies_the_operations_topic_when_it_fires()
    {
        var topic = "${" + synth.LogicalId("AWS::SNS::Topic", "MonitoringOpsAlarms") + "}";
        Assert.All(Alarms, a => Assert.Equal([topic], Cfn.List(a["AlarmActions"])));
    }

    [Fact]
    public void Records_the_transformation_refuses_raise_an_alarm_per_pipeline_when_it_marks_them_processing_failed()
    {
        var filters = synth.OfType("AWS::Logs::MetricFilter").Select(f => f.Value["Properties"]!)
            .Where(f => f["MetricTransformations"]![0]!["MetricName"]!.GetValue<string>() == "TransformProcessingFailed").ToList();
        Assert.Equal(3, filters.Count);
        Assert.All(filters, f => Assert.Equal("{ $.error = \"*\" }", f["FilterPattern"]!.GetValue<string>()));
        var alarms = Alarms.Where(a => a["MetricName"]?.GetValue<string>() == "TransformProcessingFailed").ToList();
        Assert.Equal(["events", "forecasts", "readings"], alarms.Select(a => a["Dimensions"]![0]!["Value"]!.GetValue<string>()).Order());
        Assert.All(alarms, a => Assert.Equal(0, a["Threshold"]!.GetValue<double>()));
    }

    [Fact]
    public void Replay_failures_are_alarmed_when_a_stream_action_cannot_be_put_back()
    {
        var dlq = synth.LogicalId("AWS::SQS::Queue", "IngestReplayDeadLetters");
        Assert.Single(Alarms, a => a["MetricName"]?.GetValue<string>() == "ApproximateNumberOfMessagesVisible"
            && Cfn.Render(a["Dimensions"]![0]!["Value"]) == "${" + dlq + ".QueueName}");
        var queue = synth.LogicalId("AWS::SQS::Queue", "IngestReplayQueue");
        Assert.Single(Alarms, a => a["MetricName"]?.GetValue<string>() == "ApproximateAgeOfOldestMessage"
            && Cfn.Render(a["Dimensions"]![0]!["Value"]) == "${" + queue + ".QueueName}");
    }

    [Fact]
    public void Prediction_alerts_that_cannot_reach_the_bus_go_to_a_dead_letter_queue_and_alarm_when_the_pipe_fails()
    {
        // Issue 21: the prediction queue had no dead-letter queue, no age alarm and the pipe no logs.
        var queue = synth.PropertiesOf("AWS::SQS::Queue", "IngestPredictionQueue");
        var dlq = synth.LogicalId("AWS::SQS::Queue", "IngestPredictionDeadLetters");
        Assert.Equal("${" + dlq + ".Arn}", Cfn.Render(queue["RedrivePolicy"]!["deadLetterTargetArn"]));
        Assert.Single(Alarms, a => a["MetricName"]?.GetValue<string>() == "ApproximateNumberOfMessagesVisible"
            && Cfn.Render(a["Dimensions"]![0]!["Value"]) == "${" + dlq + ".QueueName}");
        var age = Assert.Single(Alarms, a => a["MetricName"]?.GetValue<string>() == "ApproximateAgeOfOldestMessage"
            && Cfn.Render(a["Dimensions"]![0]!["Value"]) == "${" + synth.LogicalId("AWS::SQS::Queue", "IngestPredictionQueue") + ".QueueName}")!;
        Assert.Equal(600, age["Threshold"]!.GetValue<double>());

        var pipe = synth.PropertiesOf("AWS::Pipes::Pipe", "PredictionsPipe");
        var logs = synth.LogicalId("AWS::Logs::LogGroup", "PredictionsPipeLogs");
        Assert.Equal("ERROR", pipe["LogConfiguration"]!["Level"]!.GetValue<string>());
        Assert.Equal("${" + logs + ".Arn}", Cfn.Render(pipe["LogConfiguration"]!["CloudwatchLogsLogDestination"]!["LogGroupArn"]));
        Assert.Contains(synth.RoleStatements(SynthFixture.RoleIdOf(pipe["RoleArn"])),
            s => s.Actions.SequenceEqual(["logs:CreateLogStream", "logs:PutLogEvents"]) && s.Resources.SequenceEqual(["${" + logs + ".Arn}"]));
    }

    [Fact]
    public void Prediction_health_counts_alerts_and_stock_outs_per_store_and_alarms_when_stock_outs_go_unpredicted()
    {
        var filters = synth.OfType("AWS::Logs::MetricFilter").Select(f => f.Value["Properties"]!)
            .Where(f => f["MetricTransformations"]![0]!["MetricName"]!.GetValue<string>() is "PredictedEmptyAlerts" or "StockOuts").ToList();
        Assert.Equal(4, filters.Count);
        Assert.Contains(filters, f => f["MetricTransformations"]![0]!["Dimensions"]?[0]?["Value"]?.GetValue<string>() == "$.detail.topic_store");
        var alarm = synth.OfType("AWS::CloudWatch::Alarm")
            .Single(a => a.Key.StartsWith("MonitoringStockOutsWithoutPredictions", StringComparison.Ordinal)).Value["Properties"]!;
        Assert.Contains("IF(", alarm["Metrics"]![0]!["Expression"]!.GetValue<string>(), StringComparison.Ordinal);
        var body = Cfn.Render(synth.PropertiesOf("AWS::CloudWatch::Dashboard")["DashboardBody"]);
        Assert.Contains("Predicted-empty alerts per store per day", body, StringComparison.Ordinal);
        Assert.Contains("StockOutsMissed", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Predicted_empty_alerts_flow_from_the_rule_queue_through_the_pipe_to_the_store_topic_when_a_device_predicts()
    {
        var queue = synth.LogicalId("AWS::SQS::Queue", "IngestPredictionQueue");
        var pipe = synth.PropertiesOf("AWS::Pipes::Pipe");
        Assert.Equal("${" + queue + ".Arn}", Cfn.Render(pipe["Source"]));
        var bus = synth.LogicalId("AWS::Events::EventBus", "PredictionsBus");
        Assert.Equal("${" + bus + ".Arn}", Cfn.Render(pipe["Target"]));
        Assert.Equal("<$.body>", pipe["TargetParameters"]!["InputTemplate"]!.GetValue<string>());
        Assert.Equal("shelf.alert.v1", pipe["TargetParameters"]!["EventBridgeEventBusParameters"]!["DetailType"]!.GetValue<string>());

        var notify = synth.PropertiesOf("AWS::Events::Rule", "PredictionsNotifyRule");
        Assert.Equal(["predicted-empty", "predicted-empty-cleared"], notify["EventPattern"]!["detail"]!["type"]!.AsArray().Select(t => t!.GetValue<string>()));
        var topic = synth.LogicalId("AWS::SNS::Topic", "PredictionsPredictedEmptyAlerts");
        Assert.Equal("${" + topic + "}", Cfn.Render(notify["Targets"]![0]!["Arn"]));
        var record = synth.PropertiesOf("AWS::Events::Rule", "PredictionsRecordRule");
        var logGroup = synth.LogicalId("AWS::Logs::LogGroup", "PredictionsEvents");
        Assert.Equal("/aws/events/shelfagent-test-predictions", synth.ResourceMap[logGroup]!["Properties"]!["LogGroupName"]!.GetValue<string>());
        Assert.Equal("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${" + logGroup + "}", Cfn.Render(record["Targets"]![0]!["Arn"]));
    }

    [Fact]
    public void Dashboard_is_named_for_the_stage_when_synthesized()
    {
        Assert.Equal("ShelfAgent-test", synth.PropertiesOf("AWS::CloudWatch::Dashboard")["DashboardName"]!.GetValue<string>());
    }
}
