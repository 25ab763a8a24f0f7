using System.Text;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Ingest;

/// <summary>The replay function (Lambda/rule-replay.js) under node, the AWS SDK faked at its package boundary.</summary>
public sealed class RuleReplayFunctionTests : IDisposable
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["STREAM_NAME"] = "shelf-stream",
        ["EVENTS_DELIVERY"] = "shelf-events",
        ["FORECASTS_DELIVERY"] = "shelf-forecasts",
    };

    private readonly NodeLambda _replay = new(LambdaSource.Replay, "client-kinesis", "client-firehose", "client-s3");

    public void Dispose() => _replay.Dispose();

    private const string Telemetry =
        """{"schema":"shelf.telemetry.v1","thing":"shelf-0042-01","store":"store-0042","sent":"2026-11-22T05:20:00.123Z","readings":""" +
        """[{"seq":1,"ts":"2026-11-22T05:19:58.000Z","slot":"A1","sku":"COLA-355","grams":4213.5,"count":11,"status":"ok"}]}""";

    /// <summary>An IoT error action message (developer guide "Error action message format") as the SQS action delivers it.</summary>
    private static JsonObject SqsRecord(string id, string topic, string payload) => new()
    {
        ["messageId"] = id,
        ["body"] = new JsonObject
        {
            ["ruleName"] = "shelfagent_test_telemetry",
            ["topic"] = topic,
            ["cloudwatchTraceId"] = "7e146a2c-95b5-6caf-98b9-50e3969734c7",
            ["clientId"] = "shelf-0042-01",
            ["base64OriginalPayload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)),
            ["failures"] = new JsonArray
            {
                new JsonObject { ["failedAction"] = "KinesisAction", ["failedResource"] = "shelf-stream", ["errorMessage"] = "Rate exceeded for shard" },
            },
        }.ToJsonString(),
    };

    private static JsonObject PutOk(int n) => new()
    {
        ["result"] = new JsonObject
        {
            ["Records"] = new JsonArray(Enumerable.Range(0, n).Select(_ => (JsonNode)new JsonObject { ["SequenceNumber"] = "1" }).ToArray()),
        },
    };

    [Fact]
    public async Task Puts_the_original_payload_back_with_the_topic_ids_and_thing_partition_key_when_a_stream_action_failed()
    {
        var evt = new JsonObject { ["Records"] = new JsonArray { SqsRecord("m1", "dt/shelf/store-0042/shelf-0042-01/telemetry", Telemetry) } };
        var run = await _replay.InvokeAsync(evt, Env, new JsonObject { ["PutRecordsCommand"] = PutOk(1) });

        Assert.Null(run.Error);
        Assert.Empty(run.Result!["batchItemFailures"]!.AsArray());
        var call = Assert.Single(run.Calls)!;
        Assert.Equal("PutRecordsCommand", call["command"]!.GetValue<string>());
        Assert.Equal("shelf-stream", call["input"]!["StreamName"]!.GetValue<string>());
        var record = Assert.Single(call["input"]!["Records"]!.AsArray())!;
        Assert.Equal("shelf-0042-01", record["PartitionKey"]!.GetValue<string>());
        var data = JsonNode.Parse(record["Data"]!.GetValue<string>())!;
        Assert.Equal("store-0042", data["topic_store"]!.GetValue<string>());
        Assert.Equal("shelf-0042-01", data["topic_thing"]!.GetValue<string>());
        Assert.Equal(1, data["readings"]![0]!["seq"]!.GetValue<int>());
    }

    [Fact]
    public async Task Puts_a_message_back_with_the_ids_of_the_topic_after_its_prefix_when_it_came_through_basic_ingest()
    {
        // The agent publishes telemetry through Basic Ingest (Publish:BasicIngestRule): the error action's topic may carry
        // the $aws/rules/{rule}/ prefix; the rule itself reads the topic after it (topic(3) store, topic(4) thing).
        var topic = "$aws/rules/shelfagent_test_telemetry/dt/shelf/store-0042/shelf-0042-01/telemetry";
        var evt = new JsonObject { ["Records"] = new JsonArray { SqsRecord("m1", topic, Telemetry) } };
        var run = await _replay.InvokeAsync(evt, Env, new JsonObject { ["PutRecordsCommand"] = PutOk(1) });

        Assert.Null(run.Error);
        Assert.Empty(run.Result!["batchItemFailures"]!.AsArray());
        var record = Assert.Single(Assert.Single(run.Calls)!["input"]!["Records"]!.AsArray())!;
        Assert.Equal("shelf-0042-01", record["PartitionKey"]!.GetValue<string>());
        var data = JsonNode.Parse(record["Data"]!.GetValue<string>())!;
        Assert.Equal("store-0042", data["topic_store"]!.GetValue<string>());
        Assert.Equal("shelf-0042-01", data["topic_thing"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reports_only_the_unreplayable_messages_as_failures_when_a_batch_is_mixed()
    {
        var evt = new JsonObject
        {
            ["Records"] = new JsonArray
            {
                SqsRecord("ok", "dt/shelf/store-0042/shelf-0042-01/telemetry", Telemetry),
                SqsRecord("not-json", "dt/shelf/store-0042/shelf-0042-01/events", "{oops"),
                SqsRecord("other-topic", "cmd/shelf/store-0042/shelf-0042-01/reboot", Telemetry),
                SqsRecord("throttled", "dt/shelf/store-0042/shelf-0042-02/telemetry", Telemetry),
                new JsonObject { ["messageId"] = "garbage", ["body"] = "not an error action" },
            },
        };
        var put = new JsonObject
        {
            ["result"] = new JsonObject
            {
                ["Records"] = new JsonArray
                {
                    new JsonObject { ["SequenceNumber"] = "1" },
                    new JsonObject { ["ErrorCode"] = "ProvisionedThroughputExceededException", ["ErrorMessage"] = "Rate exceeded" },
                },
            },
        };
        var run = await _replay.InvokeAsync(evt, Env, new JsonObject { ["PutRecordsCommand"] = put });

        Assert.Null(run.Error);
        // SQS redelivers these (and moves them to the dead-letter queue after 5 tries); the first is done.
        Assert.Equal(["not-json", "other-topic", "garbage", "throttled"],
            run.Result!["batchItemFailures"]!.AsArray().Select(f => f!["itemIdentifier"]!.GetValue<string>()));
        Assert.Equal(2, Assert.Single(run.Calls)!["input"]!["Records"]!.AsArray().Count);
    }

    [Fact]
    public async Task Puts_events_alerts_and_forecasts_back_on_their_firehose_when_their_rule_failed()
    {
        const string Event = """{"schema":"shelf.event.v1","thing":"shelf-0042-01","store":"store-0042","type":"pick","slot":"A1","delta":-1}""";
        const string Forecast = """{"schema":"shelf.forecast.v1","thing":"shelf-0042-01","store":"store-0042","slots":[{"slot":"A1"}]}""";
        var evt = new JsonObject
        {
            ["Records"] = new JsonArray
            {
                SqsRecord("event", "dt/shelf/store-0042/shelf-0042-01/events", Event),
                SqsRecord("alert", "dt/shelf/store-0042/shelf-0042-01/alerts", Event),
                SqsRecord("forecast", "dt/shelf/store-0042/shelf-0042-01/forecast", Forecast),
            },
        };
        var fakes = new JsonObject
        {
            ["PutRecordBatchCommand"] = new JsonArray
            {
                new JsonObject
                {
                    ["result"] = new JsonObject
                    {
                        ["FailedPutCount"] = 1,
                        ["RequestResponses"] = new JsonArray
                        {
                            new JsonObject { ["RecordId"] = "r1" },
                            new JsonObject { ["ErrorCode"] = "ServiceUnavailableException", ["ErrorMessage"] = "Slow down." },
                        },
                    },
                },
                new JsonObject { ["result"] = new JsonObject { ["RequestResponses"] = new JsonArray { new JsonObject { ["RecordId"] = "r2" } } } },
            },
        };
        var run = await _replay.InvokeAsync(evt, Env, fakes);

        Assert.Null(run.Error);
        Assert.Equal(["alert"], run.Result!["batchItemFailures"]!.AsArray().Select(f => f!["itemIdentifier"]!.GetValue<string>()));
        Assert.Equal(["shelf-events", "shelf-forecasts"], run.Calls.Select(c => c!["input"]!["DeliveryStreamName"]!.GetValue<string>()));
        Assert.All(run.Calls, c => Assert.Equal("PutRecordBatchCommand", c!["command"]!.GetValue<string>()));
        var forecast = JsonNode.Parse(Assert.Single(run.Calls[1]!["input"]!["Records"]!.AsArray())!["Data"]!.GetValue<string>())!;
        Assert.Equal("shelf-0042-01", forecast["topic_thing"]!.GetValue<string>());
        Assert.Equal("store-0042", forecast["topic_store"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refuses_converted_rows_when_format_conversion_failures_are_replayed()
    {
        // A format-conversion-failed record is a row the transformation made, not a message: put back, the
        // transformation would refuse it and Firehose would write it under errors/ again, round after round.
        var row = """{"schema":"shelf.telemetry.v1","thing":"shelf-0042-01","store":"store-0042","seq":1,"slot":"A1","grams":"x"}""";
        var line = new JsonObject { ["rawData"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(row)) }.ToJsonString();
        var fakes = new JsonObject
        {
            ["ListObjectsV2Command"] = new JsonObject
            {
                ["result"] = new JsonObject
                {
                    ["Contents"] = new JsonArray { new JsonObject { ["Key"] = "errors/readings/format-conversion-failed/dt=2026-11-22/f1" } },
                },
            },
            ["GetObjectCommand"] = new JsonObject { ["body"] = line + "\n" },
        };
        var run = await _replay.InvokeAsync(new JsonObject { ["replay"] = "s3://raw-bucket/errors/readings/format-conversion-failed/" }, Env, fakes);

        Assert.Null(run.Error);
        Assert.Equal(0, run.Result!["replayed"]!.GetValue<int>());
        Assert.Contains("topic_thing", Assert.Single(run.Result["failed"]!.AsArray())!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(run.Calls, c => c!["command"]!.GetValue<string>() is "PutRecordsCommand" or "PutRecordBatchCommand");
    }

    [Fact]
    public async Task Replays_every_firehose_error_record_under_a_prefix_when_run_by_hand()
    {
        string Line(string payload) => new JsonObject
        {
            ["attemptsMade"] = 4,
            ["arrivalTimestamp"] = 1795305600123,
            ["errorCode"] = "Lambda.ProcessingFailed",
            ["errorMessage"] = "The record was marked ProcessingFailed",
            ["lambdaArn"] = "arn:aws:lambda:eu-west-1:123456789012:function:t",
            ["rawData"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)),
        }.ToJsonString();
        var withTopic = Telemetry[..^1] + ""","topic_store":"store-0042","topic_thing":"shelf-0042-01"}""";
        var fakes = new JsonObject
        {
            ["ListObjectsV2Command"] = new JsonObject
            {
                ["result"] = new JsonObject
                {
                    ["Contents"] = new JsonArray { new JsonObject { ["Key"] = "errors/readings/processing-failed/dt=2026-11-22/f1" } },
                },
            },
            ["GetObjectCommand"] = new JsonObject { ["body"] = Line(withTopic) + "\n" + Line(withTopic) + "\n" },
            ["PutRecordsCommand"] = PutOk(2),
        };
        var run = await _replay.InvokeAsync(
            new JsonObject { ["replay"] = "s3://raw-bucket/errors/readings/processing-failed/dt=2026-11-22/" }, Env, fakes);

        Assert.Null(run.Error);
        Assert.Equal(2, run.Result!["replayed"]!.GetValue<int>());
        Assert.Empty(run.Result["failed"]!.AsArray());
        Assert.Equal("raw-bucket", run.Calls[0]!["input"]!["Bucket"]!.GetValue<string>());
        Assert.Equal("errors/readings/processing-failed/dt=2026-11-22/", run.Calls[0]!["input"]!["Prefix"]!.GetValue<string>());
        var records = run.Calls.Single(c => c!["command"]!.GetValue<string>() == "PutRecordsCommand")!["input"]!["Records"]!.AsArray();
        Assert.All(records, r => Assert.Equal(withTopic, r!["Data"]!.GetValue<string>()));
    }
}
