using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Predictions;

/// <summary>
/// The prediction-health function (Lambda/prediction-health.js) under node; the Athena and CloudWatch SDK v3
/// clients are faked at their package boundary (no network), answering with result rows shaped as Athena returns them.
/// </summary>
public sealed class PredictionHealthFunctionTests : IDisposable
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["QUERY_SQL"] = "SELECT 1",
        ["WORKGROUP"] = "shelfagent-test",
        ["DATABASE"] = "shelfagent_test",
        ["NAMESPACE"] = "ShelfAgent",
        ["POLL_LIMIT"] = "3",
        ["POLL_MS"] = "1",
    };

    // The scheduled event's time: the function reports the previous UTC day.
    private static readonly JsonObject Event = new() { ["source"] = "aws.events", ["time"] = "2026-11-23T02:00:00Z" };

    private readonly NodeLambda _health = new(LambdaSource.PredictionHealth, "client-athena", "client-cloudwatch");

    public void Dispose() => _health.Dispose();

    private static JsonObject Row(params string?[] cells) => new()
    {
        ["Data"] = new JsonArray(cells.Select(c => (JsonNode)(c is null ? new JsonObject() : new JsonObject { ["VarCharValue"] = c })).ToArray()),
    };

    private static JsonObject Page(string? next, params JsonObject[] rows)
    {
        var result = new JsonObject { ["ResultSet"] = new JsonObject { ["Rows"] = new JsonArray(rows) } };
        if (next is not null)
        {
            result["NextToken"] = next;
        }

        return new JsonObject { ["result"] = result };
    }

    private static JsonObject Header() => Row("store", "dt", "stock_outs", "caught", "missed", "predicted_alerts");

    private static JsonObject State(string state, string? reason = null) => new()
    {
        ["result"] = new JsonObject
        {
            ["QueryExecution"] = new JsonObject
            {
                ["Status"] = reason is null ? new JsonObject { ["State"] = state } : new JsonObject { ["State"] = state, ["StateChangeReason"] = reason },
            },
        },
    };

    private static JsonObject Fakes(JsonArray states, params JsonObject[] pages) => new()
    {
        ["StartQueryExecutionCommand"] = new JsonObject { ["result"] = new JsonObject { ["QueryExecutionId"] = "q-1" } },
        ["GetQueryExecutionCommand"] = states,
        ["GetQueryResultsCommand"] = new JsonArray(pages),
        ["PutMetricDataCommand"] = new JsonObject { ["result"] = new JsonObject() },
    };

    private static List<JsonNode> Datums(NodeLambda.Invocation run) =>
        run.Calls.Where(c => c!["command"]!.GetValue<string>() == "PutMetricDataCommand")
            .SelectMany(c => c!["input"]!["MetricData"]!.AsArray()).Select(d => d!).ToList();

    private static double Value(List<JsonNode> data, string metric, string? store) =>
        data.Single(d => d["MetricName"]!.GetValue<string>() == metric &&
                         (store is null ? d["Dimensions"] is null : d["Dimensions"]?[0]?["Value"]?.GetValue<string>() == store))["Value"]!.GetValue<double>();

    [Fact]
    public async Task Publishes_yesterdays_caught_and_missed_per_store_and_fleet_when_the_query_succeeds()
    {
        var fakes = Fakes(
            [State("QUEUED"), State("RUNNING"), State("SUCCEEDED")],
            Page("page-2", Header(),
                Row("store-0042", "2026-11-21", "4", "4", "0", "5"),
                Row("store-0042", "2026-11-22", "3", "2", "1", "2")),
            Page(null,
                Row("store-0043", "2026-11-22", "2", "0", "2", "0"),
                Row("store-0044", "2026-11-22", "0", "0", "0", "1")));
        var run = await _health.InvokeAsync(Event, Env, fakes);

        Assert.Null(run.Error);
        var start = run.Calls[0]!;
        Assert.Equal("StartQueryExecutionCommand", start["command"]!.GetValue<string>());
        Assert.Equal("SELECT 1", start["input"]!["QueryString"]!.GetValue<string>());
        Assert.Equal("shelfagent-test", start["input"]!["WorkGroup"]!.GetValue<string>());
        Assert.Equal("shelfagent_test", start["input"]!["QueryExecutionContext"]!["Database"]!.GetValue<string>());
        var pages = run.Calls.Where(c => c!["command"]!.GetValue<string>() == "GetQueryResultsCommand").ToList();
        Assert.Equal("page-2", pages[1]!["input"]!["NextToken"]!.GetValue<string>());

        var put = run.Calls.Where(c => c!["command"]!.GetValue<string>() == "PutMetricDataCommand").ToList();
        Assert.All(put, p => Assert.Equal("ShelfAgent", p!["input"]!["Namespace"]!.GetValue<string>()));
        var data = Datums(run);
        // Only 2026-11-22 (the day before the run); the 21st was published the day before.
        Assert.Equal(2, Value(data, "StockOutsCaught", "store-0042"));
        Assert.Equal(1, Value(data, "StockOutsMissed", "store-0042"));
        Assert.Equal(0, Value(data, "StockOutsCaught", "store-0043"));
        Assert.Equal(2, Value(data, "StockOutsMissed", "store-0043"));
        Assert.Equal(0, Value(data, "StockOutsMissed", "store-0044"));
        Assert.Equal(2, Value(data, "StockOutsCaught", null));
        Assert.Equal(3, Value(data, "StockOutsMissed", null));
        Assert.Equal(8, data.Count);
        Assert.All(data, d => Assert.Equal("Count", d["Unit"]!.GetValue<string>()));
        Assert.Equal("2026-11-22", run.Result!["day"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publishes_a_zero_fleet_total_when_the_result_is_empty()
    {
        var run = await _health.InvokeAsync(Event, Env, Fakes([State("SUCCEEDED")], Page(null, Header())));

        Assert.Null(run.Error);
        var data = Datums(run);
        Assert.Equal(2, data.Count);
        Assert.Equal(0, Value(data, "StockOutsCaught", null));
        Assert.Equal(0, Value(data, "StockOutsMissed", null));
    }

    [Fact]
    public async Task Throws_with_the_reason_and_publishes_nothing_when_the_query_fails()
    {
        var run = await _health.InvokeAsync(Event, Env,
            Fakes([State("RUNNING"), State("FAILED", "TABLE_NOT_FOUND: curated_events")]));

        Assert.Contains("FAILED: TABLE_NOT_FOUND: curated_events", run.Error, StringComparison.Ordinal);
        Assert.Empty(Datums(run));
    }

    [Fact]
    public async Task Throws_after_the_poll_limit_and_publishes_nothing_when_the_query_never_finishes()
    {
        var run = await _health.InvokeAsync(Event, Env,
            Fakes([State("RUNNING"), State("RUNNING"), State("RUNNING"), State("RUNNING")]));

        Assert.Contains("not finished after 3 polls", run.Error, StringComparison.Ordinal);
        Assert.Equal(3, run.Calls.Count(c => c!["command"]!.GetValue<string>() == "GetQueryExecutionCommand"));
        Assert.Empty(Datums(run));
    }

    [Fact]
    public async Task Splits_metric_data_into_calls_of_at_most_20_when_many_stores_report()
    {
        var rows = Enumerable.Range(1, 15).Select(i => Row($"store-{i:D4}", "2026-11-22", "1", "1", "0", "1")).Prepend(Header()).ToArray();
        var run = await _health.InvokeAsync(Event, Env, Fakes([State("SUCCEEDED")], Page(null, rows)));

        Assert.Null(run.Error);
        var puts = run.Calls.Where(c => c!["command"]!.GetValue<string>() == "PutMetricDataCommand").ToList();
        Assert.Equal([20, 12], puts.Select(p => p!["input"]!["MetricData"]!.AsArray().Count));
        Assert.Equal(15, Value(Datums(run), "StockOutsCaught", null));
    }
}
