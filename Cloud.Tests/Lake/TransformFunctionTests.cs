using System.Text;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Lake;

/// <summary>
/// Runs the real transformation code (the embedded JavaScript that the template inlines) under node, which
/// the CDK already needs, with Firehose-shaped events.
/// </summary>
public sealed class TransformFunctionTests : IDisposable
{
    private const long ArrivalMs = 1795305600123; // 2026-11-22T00:00:00.123Z
    private readonly NodeLambda _readings = new(LambdaSource.Transform);
    private readonly NodeLambda _activity = new(LambdaSource.Activity);

    public void Dispose()
    {
        _readings.Dispose();
        _activity.Dispose();
    }

    private static JsonObject Batch(string store = "store-7", string thing = "shelf-a1") => new()
    {
        ["schema"] = "shelf.telemetry.v1",
        ["thing"] = thing,
        ["store"] = store,
        ["sent"] = "2026-11-21T23:59:59.500Z",
        ["dropped"] = new JsonObject { ["s1"] = 3 },
        ["readings"] = new JsonArray
        {
            new JsonObject
            {
                ["seq"] = 41, ["ts"] = "2026-11-21T23:59:58.000Z", ["slot"] = "s1", ["sku"] = "sku-1",
                ["grams"] = 812.5, ["count"] = 2, ["status"] = "low",
            },
            new JsonObject
            {
                ["seq"] = 42, ["ts"] = "2026-11-21T23:59:59.000Z", ["slot"] = "s2", ["sku"] = "sku-2",
                ["grams"] = null, ["count"] = null, ["status"] = "fault", ["reason"] = "hx711 timeout",
            },
        },
        // Added by the IoT rule from the topic.
        ["topic_store"] = "store-7",
        ["topic_thing"] = "shelf-a1",
    };

    private Task<JsonArray> InvokeAsync(params string[] payloads) => InvokeInModeAsync("readings", payloads);

    private static JsonObject Records(IReadOnlyList<string> payloads)
    {
        var records = new JsonArray();
        for (var i = 0; i < payloads.Count; i++)
        {
            records.Add(new JsonObject
            {
                ["recordId"] = $"r{i}",
                ["approximateArrivalTimestamp"] = ArrivalMs,
                ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloads[i])),
            });
        }

        return new JsonObject { ["records"] = records };
    }

    private async Task<(JsonArray Records, string Raw)> InvokeRawAsync(string mode, IReadOnlyList<string> payloads)
    {
        var lambda = mode == "readings" ? _readings : _activity;
        var invocation = await lambda.InvokeAsync(Records(payloads), new Dictionary<string, string> { ["OUTPUT"] = mode });
        Assert.Null(invocation.Error);
        return (invocation.Result!["records"]!.AsArray(), invocation.Result.ToJsonString());
    }

    private async Task<JsonArray> InvokeInModeAsync(string mode, params string[] payloads) => (await InvokeRawAsync(mode, payloads)).Records;

    private static string Decode(JsonNode record) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(record["data"]!.GetValue<string>()));

    [Fact]
    public async Task Emits_one_json_line_per_reading_when_batch_is_valid()
    {
        var result = Assert.Single(await InvokeAsync(Batch().ToJsonString()))!;
        Assert.Equal("Ok", result["result"]!.GetValue<string>());
        Assert.Equal("r0", result["recordId"]!.GetValue<string>());

        var rows = Decode(result).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal([41L, 42L], rows.Select(r => r["seq"]!.GetValue<long>()));
        Assert.All(rows, r => Assert.Equal("shelf-a1", r["thing"]!.GetValue<string>()));
        Assert.All(rows, r => Assert.Equal(ArrivalMs, r["received"]!.GetValue<long>()));
        Assert.Equal("hx711 timeout", rows[1]["reason"]!.GetValue<string>());
        Assert.Null(rows[1]["grams"]);
        Assert.Null(rows[0]["reason"]);
    }

    [Fact]
    public async Task Puts_dropped_counts_on_the_first_row_only_when_batch_reports_evictions()
    {
        var rows = Decode(Assert.Single(await InvokeAsync(Batch().ToJsonString()))!)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, rows[0]["dropped"]!["s1"]!.GetValue<int>());
        Assert.Null(rows[1]["dropped"]);
    }

    [Fact]
    public async Task Partitions_by_arrival_day_and_keeps_the_topic_store_as_a_column_when_readings_are_from_the_day_before()
    {
        var result = Assert.Single(await InvokeAsync(Batch().ToJsonString()))!;
        var keys = result["metadata"]!["partitionKeys"]!.AsObject();
        Assert.Equal(["dt"], keys.Select(k => k.Key));
        Assert.Equal("2026-11-22", keys["dt"]!.GetValue<string>());
        Assert.All(Rows(result), r => Assert.Equal("store-7", r["store"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Keeps_batch_as_processing_failure_when_payload_store_differs_from_topic()
    {
        var batch = Batch(store: "store-8");
        var result = Assert.Single(await InvokeAsync(batch.ToJsonString()))!;
        Assert.Equal("ProcessingFailed", result["result"]!.GetValue<string>());
        // Failed records keep their original bytes: Firehose writes them under errors/ for replay.
        Assert.Equal(batch.ToJsonString(), Decode(result));
    }

    [Fact]
    public async Task Keeps_record_as_processing_failure_when_it_is_not_json()
    {
        var result = Assert.Single(await InvokeAsync("{not json"))!;
        Assert.Equal("ProcessingFailed", result["result"]!.GetValue<string>());
        Assert.Equal("{not json", Decode(result));
    }

    [Fact]
    public async Task Drops_record_from_the_readings_output_when_it_is_an_event_or_alert()
    {
        var results = await InvokeAsync(
            """{"schema":"shelf.event.v1","kind":"pick"}""",
            """{"schema":"shelf.alert.v1","type":"empty"}""");
        Assert.All(results, r => Assert.Equal("Dropped", r!["result"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Fails_batch_when_it_has_no_readings()
    {
        var batch = Batch();
        batch["readings"] = new JsonArray();
        Assert.Equal("ProcessingFailed", Assert.Single(await InvokeAsync(batch.ToJsonString()))!["result"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(LambdaSource.Transform)]
    [InlineData(LambdaSource.Activity)]
    [InlineData(LambdaSource.Replay)]
    [InlineData(LambdaSource.ProvisioningHook)]
    public void Fits_cloudformation_inline_code_limit_when_embedded(string file)
    {
        Assert.True(Encoding.UTF8.GetByteCount(LambdaSource.Read(file)) < LambdaSource.InlineLimitBytes);
    }

    private static JsonObject Event() => new()
    {
        ["schema"] = "shelf.event.v1",
        ["thing"] = "shelf-a1",
        ["store"] = "store-7",
        ["ts"] = "2026-11-21T23:59:58.000Z",
        ["slot"] = "s1",
        ["sku"] = "sku-1",
        ["type"] = "pick",
        ["delta"] = -2,
        ["count"] = 9,
        ["topic_store"] = "store-7",
        ["topic_thing"] = "shelf-a1",
    };

    [Fact]
    public async Task Emits_one_row_per_event_or_alert_when_output_is_activity()
    {
        var alert = new JsonObject
        {
            ["schema"] = "shelf.alert.v1",
            ["thing"] = "shelf-a1",
            ["store"] = "store-7",
            ["ts"] = "2026-11-21T23:59:59.000Z",
            ["slot"] = "s2",
            ["sku"] = "sku-2",
            ["type"] = "fault",
            ["count"] = null,
            ["reason"] = "stuck: no change",
            ["topic_store"] = "store-7",
            ["topic_thing"] = "shelf-a1",
        };
        var results = await InvokeInModeAsync("activity", Event().ToJsonString(), alert.ToJsonString());

        Assert.All(results, r => Assert.Equal("Ok", r!["result"]!.GetValue<string>()));
        var pick = JsonNode.Parse(Decode(results[0]!))!;
        Assert.Equal("pick", pick["type"]!.GetValue<string>());
        Assert.Equal(-2, pick["delta"]!.GetValue<int>());
        Assert.Null(pick["reason"]);
        Assert.Equal(ArrivalMs, pick["received"]!.GetValue<long>());
        var fault = JsonNode.Parse(Decode(results[1]!))!;
        Assert.Equal("stuck: no change", fault["reason"]!.GetValue<string>());
        Assert.Null(fault["delta"]);
        Assert.Equal("2026-11-22", results[1]!["metadata"]!["partitionKeys"]!["dt"]!.GetValue<string>());
        Assert.Equal("store-7", fault["store"]!.GetValue<string>());
    }

    [Fact]
    public async Task Drops_telemetry_when_output_is_activity()
    {
        Assert.Equal("Dropped", Assert.Single(await InvokeInModeAsync("activity", Batch().ToJsonString()))!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keeps_event_as_processing_failure_when_payload_thing_differs_from_topic()
    {
        var spoofed = Event();
        spoofed["thing"] = "shelf-b2";
        var result = Assert.Single(await InvokeInModeAsync("activity", spoofed.ToJsonString()))!;
        Assert.Equal("ProcessingFailed", result["result"]!.GetValue<string>());
        Assert.Equal(spoofed.ToJsonString(), Decode(result));
    }

    /// <summary>The example of docs/data-contract-v2.md, as published on the topic (the rule adds topic_*).</summary>
    private static JsonObject BatchV2() => JsonNode.Parse("""
        {
          "schema": "shelf.telemetry.v2", "thing": "shelf-0042-01", "store": "store-0042",
          "sent": "2026-11-22T05:20:00.123Z", "t0": "2026-11-22T05:19:58.000Z",
          "seq": [[1001, 3]], "keys": [["A1", "COLA-355"], ["B3", "ENERGY-250"]],
          "key": [0, 1, 0], "dt": [0, 0, 1000],
          "grams": [4213.5, null, 3858.2], "count": [11, null, 10], "status": "ofo",
          "reason": { "1": "timeout: HX711 not ready" },
          "topic_store": "store-0042", "topic_thing": "shelf-0042-01"
        }
        """)!.AsObject();

    private static List<JsonNode> Rows(JsonNode record) =>
        Decode(record).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

    [Fact]
    public async Task Expands_a_v2_batch_into_the_readings_it_encodes_when_backlog_is_compact()
    {
        var result = Assert.Single(await InvokeAsync(BatchV2().ToJsonString()))!;
        Assert.Equal("Ok", result["result"]!.GetValue<string>());
        var rows = Rows(result);

        Assert.Equal([1001L, 1002L, 1003L], rows.Select(r => r["seq"]!.GetValue<long>()));
        Assert.Equal(["2026-11-22T05:19:58.000Z", "2026-11-22T05:19:58.000Z", "2026-11-22T05:19:59.000Z"], rows.Select(r => r["ts"]!.GetValue<string>()));
        Assert.Equal(["A1", "B3", "A1"], rows.Select(r => r["slot"]!.GetValue<string>()));
        Assert.Equal(["COLA-355", "ENERGY-250", "COLA-355"], rows.Select(r => r["sku"]!.GetValue<string>()));
        Assert.Equal(["ok", "fault", "ok"], rows.Select(r => r["status"]!.GetValue<string>()));
        Assert.Equal(3858.2, rows[2]["grams"]!.GetValue<double>());
        Assert.Null(rows[1]["count"]);
        Assert.Equal("timeout: HX711 not ready", rows[1]["reason"]!.GetValue<string>());
        Assert.Null(rows[0]["reason"]);
        Assert.All(rows, r => Assert.Equal("shelf.telemetry.v2", r["schema"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Produces_the_same_rows_for_v1_and_v2_when_they_carry_the_same_readings()
    {
        var v1 = new JsonObject
        {
            ["schema"] = "shelf.telemetry.v1",
            ["thing"] = "shelf-0042-01",
            ["store"] = "store-0042",
            ["sent"] = "2026-11-22T05:20:00.123Z",
            ["readings"] = new JsonArray
            {
                new JsonObject
                {
                    ["seq"] = 1001, ["ts"] = "2026-11-22T05:19:58.000Z", ["slot"] = "A1", ["sku"] = "COLA-355",
                    ["grams"] = 4213.5, ["count"] = 11, ["status"] = "ok",
                },
                new JsonObject
                {
                    ["seq"] = 1002, ["ts"] = "2026-11-22T05:19:58.000Z", ["slot"] = "B3", ["sku"] = "ENERGY-250",
                    ["grams"] = null, ["count"] = null, ["status"] = "fault", ["reason"] = "timeout: HX711 not ready",
                },
                new JsonObject
                {
                    ["seq"] = 1003, ["ts"] = "2026-11-22T05:19:59.000Z", ["slot"] = "A1", ["sku"] = "COLA-355",
                    ["grams"] = 3858.2, ["count"] = 10, ["status"] = "ok",
                },
            },
            ["topic_store"] = "store-0042",
            ["topic_thing"] = "shelf-0042-01",
        };
        var results = await InvokeAsync(v1.ToJsonString(), BatchV2().ToJsonString());

        static string WithoutSchema(JsonNode row)
        {
            var copy = row.DeepClone().AsObject();
            copy.Remove("schema");
            return copy.ToJsonString();
        }

        Assert.Equal(Rows(results[0]!).Select(WithoutSchema), Rows(results[1]!).Select(WithoutSchema));
        Assert.Equal(results[0]!["metadata"]!.ToJsonString(), results[1]!["metadata"]!.ToJsonString());
    }

    [Theory]
    [InlineData("key")]
    [InlineData("dt")]
    [InlineData("grams")]
    [InlineData("count")]
    public async Task Keeps_v2_batch_as_processing_failure_when_a_column_has_the_wrong_length(string column)
    {
        var batch = BatchV2();
        batch[column]!.AsArray().RemoveAt(0);
        var result = Assert.Single(await InvokeAsync(batch.ToJsonString()))!;
        Assert.Equal("ProcessingFailed", result["result"]!.GetValue<string>());
        Assert.Equal(batch.ToJsonString(), Decode(result));
    }

    [Fact]
    public async Task Keeps_v2_batch_as_processing_failure_when_a_key_index_is_out_of_range()
    {
        var batch = BatchV2();
        batch["key"]![2] = 7;
        Assert.Equal("ProcessingFailed", Assert.Single(await InvokeAsync(batch.ToJsonString()))!["result"]!.GetValue<string>());
    }
}
