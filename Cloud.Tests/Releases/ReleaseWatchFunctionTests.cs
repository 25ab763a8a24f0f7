using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Releases;

/// <summary>
/// The release watch (Lambda/release-watch.js) under node, S3, Athena, CloudWatch, IoT and EventBridge faked at their
/// package boundary: per-release metrics every day, and after the watch days promote (the rest's stores get the
/// release) or roll back (the canary's stores get the previous release) with signed profiles-update jobs, the verdict in
/// rollout.json and the notice on the bus.
/// </summary>
public sealed class ReleaseWatchFunctionTests : IDisposable
{
    private const string Template = "arn:aws:iot:eu-west-1:111122223333:jobtemplate/ShelfAgentProfilesUpdate-test";
    private const string Artifact = """{"schema":"shelf.profile.release.v1","release":"r-2","store":"store-b","profiles":[]}""";

    /// <summary>The watch's environment as the stack sets it.</summary>
    internal static readonly Dictionary<string, string> Env = new()
    {
        ["BUCKET"] = "models-bucket",
        ["QUERY_SQL"] = "SELECT … WHERE dt >= '{FROM}' AND dt >= '{FROM}'",
        ["WORKGROUP"] = "shelfagent-test-pipeline",
        ["DATABASE"] = "shelfagent_test",
        ["NAMESPACE"] = "ShelfAgent",
        ["WATCH_DAYS"] = "3",
        ["TEMPLATE_ARN"] = Template,
        ["STORE_ATTRIBUTE"] = "storeId",
        ["SOURCE"] = "shelfagent.releases",
        ["POLL_LIMIT"] = "3",
        ["POLL_MS"] = "1",
        ["CANARY_FUNCTION"] = "shelfagent-test-release-canary",
    };

    private readonly NodeLambda _watch = NewWatch();

    /// <summary>The watch under node with every SDK package it requires faked.</summary>
    internal static NodeLambda NewWatch() =>
        new(LambdaSource.ReleaseWatch, "client-s3", "client-athena", "client-cloudwatch", "client-iot", "client-eventbridge", "client-lambda");

    public void Dispose() => _watch.Dispose();

    private static JsonObject Rollout(string state = "canary") => new()
    {
        ["release"] = "r-2",
        ["previous"] = "r-1",
        ["state"] = state,
        ["canary"] = new JsonArray("store-a"),
        ["rest"] = new JsonArray("store-b"),
        ["started"] = "2026-12-01T09:00:00Z",
    };

    private static JsonObject Row(params string[] cells) =>
        new() { ["Data"] = new JsonArray(cells.Select(c => (JsonNode)new JsonObject { ["VarCharValue"] = c }).ToArray()) };

    /// <summary>Fakes: one release folder with its rollout.json, the query's rows, and (for a decision) the artifact and its signature.</summary>
    private static JsonObject Fakes(JsonObject rollout, int canaryCaught, string queryState = "SUCCEEDED") => new()
    {
        ["ListObjectsV2Command"] = new JsonObject
        {
            ["result"] = new JsonObject { ["CommonPrefixes"] = new JsonArray(new JsonObject { ["Prefix"] = "releases/r-2/" }) },
        },
        ["GetObjectCommand"] = new JsonArray(
            new JsonObject { ["body"] = rollout.ToJsonString() },
            new JsonObject { ["body"] = Artifact },
            new JsonObject { ["body"] = "MEUCIQDsig==\n" }),
        ["StartQueryExecutionCommand"] = new JsonObject { ["result"] = new JsonObject { ["QueryExecutionId"] = "q-1" } },
        ["GetQueryExecutionCommand"] = new JsonObject
        {
            ["result"] = new JsonObject { ["QueryExecution"] = new JsonObject { ["Status"] = new JsonObject { ["State"] = queryState } } },
        },
        ["GetQueryResultsCommand"] = new JsonObject
        {
            ["result"] = new JsonObject
            {
                ["ResultSet"] = new JsonObject
                {
                    ["Rows"] = new JsonArray(
                        Row("store", "profile", "slot_days", "stock_outs", "caught", "alerts", "false_alarms"),
                        Row("store-a", "cloud:r-2", "40", "10", canaryCaught.ToString(System.Globalization.CultureInfo.InvariantCulture), "12", "2"),
                        // A canary device still on the old release does not count for the new one.
                        Row("store-a", "cloud:r-1", "8", "5", "0", "0", "0"),
                        Row("store-b", "cloud:r-1", "40", "10", "8", "12", "2")),
                },
            },
        },
        ["PutMetricDataCommand"] = new JsonObject { ["result"] = new JsonObject() },
        ["ListThingsCommand"] = new JsonObject
        {
            ["result"] = new JsonObject { ["things"] = new JsonArray(new JsonObject { ["thingArn"] = "arn:aws:iot:eu-west-1:111122223333:thing/shelf-b-01" }) },
        },
        ["CreateJobCommand"] = new JsonObject { ["result"] = new JsonObject() },
        ["PutObjectCommand"] = new JsonObject { ["result"] = new JsonObject() },
        ["PutEventsCommand"] = new JsonObject { ["result"] = new JsonObject() },
    };

    /// <summary>
    /// r-3 on its canary since 2026-12-01 (not worse: promoted once decided), then the approvals waiting behind it (no
    /// rollout.json), each with its approval time, in the listing's (key) order.
    /// </summary>
    internal static JsonObject QueueFakes(params (string Release, string At)[] waiting) => QueueFakes("canary", decides: true, waiting);

    /// <summary>As above, r-3 in <paramref name="state"/>; without a decision the watch reads no artifact.</summary>
    internal static JsonObject QueueFakes(string state, bool decides, params (string Release, string At)[] waiting)
    {
        var onCanary = Rollout(state);
        onCanary["release"] = "r-3";
        var fakes = Fakes(onCanary, canaryCaught: 8);
        if (!decides)
        {
            fakes["GetObjectCommand"]!.AsArray().RemoveAt(2);
            fakes["GetObjectCommand"]!.AsArray().RemoveAt(1);
        }

        fakes["ListObjectsV2Command"]!["result"]!["CommonPrefixes"] = new JsonArray(new[] { "r-3" }.Concat(waiting.Select(w => w.Release))
            .Select(r => (JsonNode)new JsonObject { ["Prefix"] = $"releases/{r}/" }).ToArray());
        var reads = fakes["GetObjectCommand"]!.AsArray();
        foreach (var (release, at) in waiting)
        {
            reads.Add(new JsonObject { ["error"] = "NoSuchKey" });
            reads.Add(new JsonObject { ["body"] = new JsonObject { ["release"] = release, ["at"] = at }.ToJsonString() });
        }

        fakes["InvokeCommand"] = new JsonObject { ["result"] = new JsonObject { ["StatusCode"] = 202 } };
        return fakes;
    }

    [Fact]
    public async Task Decision_starts_the_oldest_waiting_approval_and_only_that_one_with_the_event_s3_sends()
    {
        var run = await _watch.InvokeAsync(At("2026-12-04T09:30:00Z"), Env,
            QueueFakes(("r-4", "2026-12-02T11:00:00Z"), ("r-5", "2026-12-02T10:00:00Z")));

        Assert.Null(run.Error);
        Assert.Equal("promoted", JsonNode.Parse(Assert.Single(Calls(run, "PutObjectCommand"))["Body"]!.GetValue<string>())!["state"]!.GetValue<string>());
        Assert.Equal(["releases/r-4/approval.json", "releases/r-5/approval.json"],
            Calls(run, "GetObjectCommand").Select(c => c["Key"]!.GetValue<string>()).Where(k => k.EndsWith("approval.json", StringComparison.Ordinal)));
        var invoke = Assert.Single(Calls(run, "InvokeCommand"));
        Assert.Equal("shelfagent-test-release-canary", invoke["FunctionName"]!.GetValue<string>());
        Assert.Equal("Event", invoke["InvocationType"]!.GetValue<string>());
        var evt = JsonNode.Parse(invoke["Payload"]!.GetValue<string>())!;
        Assert.Equal("Object Created", evt["detail-type"]!.GetValue<string>());
        Assert.Equal("models-bucket", evt["detail"]!["bucket"]!["name"]!.GetValue<string>());
        Assert.Equal("releases/r-5/approval.json", evt["detail"]!["object"]!["key"]!.GetValue<string>());
        Assert.Equal("2026-12-04T09:30:00.000Z", evt["time"]!.GetValue<string>());
        Assert.Equal("r-5", run.Result!["started"]!.GetValue<string>());
    }

    [Fact]
    public async Task Approval_without_its_time_waits_in_line_by_when_s3_stored_it()
    {
        var fakes = QueueFakes(("r-4", "2026-12-02T10:00:00Z"), ("r-5", "2026-12-02T11:00:00Z"));
        // r-5's approval written by hand without "at", stored before r-4's was approved.
        fakes["GetObjectCommand"]!.AsArray()[6] = new JsonObject
        {
            ["body"] = """{"release":"r-5"}""",
            ["result"] = new JsonObject { ["LastModified"] = "2026-12-02T09:00:00Z" },
        };
        var run = await _watch.InvokeAsync(At("2026-12-04T09:30:00Z"), Env, fakes);

        Assert.Null(run.Error);
        Assert.Equal("r-5", run.Result!["started"]!.GetValue<string>());
    }

    [Fact]
    public async Task Waiting_approval_stays_queued_while_the_release_on_canary_is_younger_than_the_watch_days()
    {
        var run = await _watch.InvokeAsync(At("2026-12-03T02:30:00Z"), Env, QueueFakes("canary", decides: false, ("r-4", "2026-12-02T11:00:00Z")));

        Assert.Null(run.Error);
        Assert.Equal("releases/r-4/approval.json", Calls(run, "GetObjectCommand").Last()["Key"]!.GetValue<string>());
        Assert.Empty(Calls(run, "PutObjectCommand"));
        Assert.Empty(Calls(run, "InvokeCommand"));
    }

    [Fact]
    public async Task Waiting_approval_is_not_sent_again_on_a_day_without_a_decision()
    {
        var run = await _watch.InvokeAsync(At("2026-12-05T02:30:00Z"), Env, QueueFakes("promoted", decides: false, ("r-4", "2026-12-02T11:00:00Z")));

        Assert.Null(run.Error);
        Assert.Equal("releases/r-4/approval.json", Calls(run, "GetObjectCommand").Last()["Key"]!.GetValue<string>());
        Assert.Empty(Calls(run, "InvokeCommand"));
    }

    private static JsonObject At(string time) => new() { ["time"] = time };

    private static List<JsonNode> Calls(NodeLambda.Invocation run, string command) =>
        run.Calls.Where(c => c!["command"]!.GetValue<string>() == command).Select(c => c!["input"]!).ToList();

    private static Dictionary<(string Metric, string Release, string Group), double> Metrics(NodeLambda.Invocation run) =>
        Calls(run, "PutMetricDataCommand").SelectMany(c => c["MetricData"]!.AsArray()).ToDictionary(
            m => (m!["MetricName"]!.GetValue<string>(), m["Dimensions"]![0]!["Value"]!.GetValue<string>(), m["Dimensions"]![1]!["Value"]!.GetValue<string>()),
            m => m!["Value"]!.GetValue<double>());

    [Fact]
    public async Task Publishes_per_release_figures_and_waits_while_the_canary_is_younger_than_the_watch_days()
    {
        var run = await _watch.InvokeAsync(At("2026-12-03T02:30:00Z"), Env, Fakes(Rollout(), canaryCaught: 8));

        Assert.Null(run.Error);
        var query = Assert.Single(Calls(run, "StartQueryExecutionCommand"));
        Assert.Equal("SELECT … WHERE dt >= '2026-12-01' AND dt >= '2026-12-01'", query["QueryString"]!.GetValue<string>());
        Assert.Equal("shelfagent-test-pipeline", query["WorkGroup"]!.GetValue<string>());
        var metrics = Metrics(run);
        Assert.Equal(8, metrics[("ReleaseStockOutsCaught", "r-2", "canary")]);
        Assert.Equal(2, metrics[("ReleaseStockOutsMissed", "r-2", "canary")]);
        Assert.Equal(2, metrics[("ReleaseFalseAlarms", "r-2", "canary")]);
        Assert.Equal(40, metrics[("ReleaseSlotDays", "r-2", "canary")]);
        Assert.Equal(8, metrics[("ReleaseStockOutsCaught", "r-1", "rest")]);
        Assert.All(Calls(run, "PutMetricDataCommand"), c => Assert.Equal("ShelfAgent", c["Namespace"]!.GetValue<string>()));
        Assert.Empty(Calls(run, "CreateJobCommand"));
        Assert.Empty(Calls(run, "PutObjectCommand"));
        Assert.Empty(Calls(run, "PutEventsCommand"));
    }

    [Fact]
    public async Task Promotes_a_release_that_is_not_worse_with_signed_jobs_for_the_rest_after_the_watch_days()
    {
        var run = await _watch.InvokeAsync(At("2026-12-04T09:30:00Z"), Env, Fakes(Rollout(), canaryCaught: 8));

        Assert.Null(run.Error);
        var job = Assert.Single(Calls(run, "CreateJobCommand"));
        Assert.Equal(Template, job["jobTemplateArn"]!.GetValue<string>());
        Assert.Equal(["arn:aws:iot:eu-west-1:111122223333:thing/shelf-b-01"], job["targets"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.StartsWith("profiles-r-2-store-b-", job["jobId"]!.GetValue<string>(), StringComparison.Ordinal);
        var document = JsonNode.Parse(job["document"]!.GetValue<string>())!;
        Assert.Equal("profiles-update", document["operation"]!.GetValue<string>());
        Assert.Equal("r-2", document["release"]!.GetValue<string>());
        Assert.Equal("${aws:iot:s3-presigned-url:https://models-bucket.s3.amazonaws.com/profiles/r-2/store-b.json}", document["url"]!.GetValue<string>());
        var bytes = Encoding.UTF8.GetBytes(Artifact);
        Assert.Equal(bytes.Length, document["size"]!.GetValue<int>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), document["sha256"]!.GetValue<string>());
        Assert.Equal("MEUCIQDsig==", document["signature"]!.GetValue<string>());
        var lookups = Calls(run, "GetObjectCommand").Select(c => c["Key"]!.GetValue<string>()).ToList();
        Assert.Equal(["releases/r-2/rollout.json", "profiles/r-2/store-b.json", "profiles/r-2/store-b.json.sig"], lookups);
        Assert.Equal("store-b", Assert.Single(Calls(run, "ListThingsCommand"))["attributeValue"]!.GetValue<string>());

        var saved = Assert.Single(Calls(run, "PutObjectCommand"));
        Assert.Equal("releases/r-2/rollout.json", saved["Key"]!.GetValue<string>());
        var rollout = JsonNode.Parse(saved["Body"]!.GetValue<string>())!;
        Assert.Equal("promoted", rollout["state"]!.GetValue<string>());
        Assert.StartsWith("not worse: recall@30 80% vs 80%", rollout["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2026-12-04T09:30:00.000Z", rollout["decided"]!.GetValue<string>());

        var notice = Assert.Single(Calls(run, "PutEventsCommand"))["Entries"]![0]!;
        Assert.Equal("shelfagent.releases", notice["Source"]!.GetValue<string>());
        Assert.Equal("Profile release decided", notice["DetailType"]!.GetValue<string>());
        var detail = JsonNode.Parse(notice["Detail"]!.GetValue<string>())!;
        Assert.Equal("promoted", detail["state"]!.GetValue<string>());
        Assert.Equal(rollout["reason"]!.GetValue<string>(), detail["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rolls_back_a_worse_release_by_sending_the_canary_stores_the_previous_release_and_says_why()
    {
        var run = await _watch.InvokeAsync(At("2026-12-04T09:30:00Z"), Env, Fakes(Rollout(), canaryCaught: 4));

        Assert.Null(run.Error);
        var job = Assert.Single(Calls(run, "CreateJobCommand"));
        var document = JsonNode.Parse(job["document"]!.GetValue<string>())!;
        Assert.Equal("r-1", document["release"]!.GetValue<string>());
        Assert.EndsWith("/profiles/r-1/store-a.json}", document["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("store-a", Assert.Single(Calls(run, "ListThingsCommand"))["attributeValue"]!.GetValue<string>());
        var rollout = JsonNode.Parse(Assert.Single(Calls(run, "PutObjectCommand"))["Body"]!.GetValue<string>())!;
        Assert.Equal("rolled-back", rollout["state"]!.GetValue<string>());
        var detail = JsonNode.Parse(Assert.Single(Calls(run, "PutEventsCommand"))["Entries"]![0]!["Detail"]!.GetValue<string>())!;
        Assert.Equal("rolled-back", detail["state"]!.GetValue<string>());
        Assert.StartsWith("worse: recall@30 fell; recall@30 40% vs 80%", detail["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaves_decided_releases_alone()
    {
        var run = await _watch.InvokeAsync(At("2026-12-04T09:30:00Z"), Env, Fakes(Rollout("promoted"), canaryCaught: 8));

        Assert.Null(run.Error);
        Assert.Empty(Calls(run, "StartQueryExecutionCommand"));
        Assert.Empty(Calls(run, "CreateJobCommand"));
    }

    [Fact]
    public async Task Fails_without_deciding_when_the_query_fails()
    {
        var run = await _watch.InvokeAsync(At("2026-12-04T09:30:00Z"), Env, Fakes(Rollout(), canaryCaught: 8, queryState: "FAILED"));

        Assert.Equal("Error: release-health query q-1: FAILED", run.Error);
        Assert.Empty(Calls(run, "CreateJobCommand"));
        Assert.Empty(Calls(run, "PutObjectCommand"));
    }
}
