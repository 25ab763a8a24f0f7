using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Tests.Lake;

/// <summary>
/// Runs the real transformation code (the embedded JavaScript that the template inlines) under node, which
/// the CDK already needs, with Firehose-shaped events.
/// </summary>
public sealed class FlattenFunctionTests : IDisposable
{
    private const long ArrivalMs = 1795305600123; // 2026-11-22T00:00:00.123Z
    private readonly string _dir = Directory.CreateTempSubdirectory("shelfagent-flatten-").FullName;

    public FlattenFunctionTests() => File.WriteAllText(Path.Combine(_dir, "index.js"), FlattenFunctionSource.Read());

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static JsonObject Batch(string store = "store-7", string thing = "shelf-a1") => new()
    {
        ["schema"] = "shelf.telemetry.v1",
        ["thing"] = thing,
        ["store"] = store,
        ["sent"] = "2026-11-21T23:59:59.500Z",
        ["dropped"] = new JsonObject { ["s1"] = 3 },
        ["readings"] = new JsonArray
        {
            new JsonObject { ["seq"] = 41, ["ts"] = "2026-11-21T23:59:58.000Z", ["slot"] = "s1", ["sku"] = "sku-1", ["grams"] = 812.5, ["count"] = 2, ["status"] = "low" },
            new JsonObject { ["seq"] = 42, ["ts"] = "2026-11-21T23:59:59.000Z", ["slot"] = "s2", ["sku"] = "sku-2", ["grams"] = null, ["count"] = null, ["status"] = "fault", ["reason"] = "hx711 timeout" },
        },
        // Added by the IoT rule from the topic.
        ["topic_store"] = "store-7",
        ["topic_thing"] = "shelf-a1",
    };

    private async Task<JsonArray> InvokeAsync(params string[] payloads)
    {
        var records = new JsonArray();
        for (int i = 0; i < payloads.Length; i++)
        {
            records.Add(new JsonObject
            {
                ["recordId"] = $"r{i}",
                ["approximateArrivalTimestamp"] = ArrivalMs,
                ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloads[i])),
            });
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = _dir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(
            // The function logs failures with console.log (CloudWatch in Lambda): keep them off our stdout.
            "console.log=(...a)=>console.error(...a);let s='';process.stdin.on('data',d=>s+=d).on('end',async()=>{" +
            "const r=await require('./index.js').handler(JSON.parse(s));process.stdout.write(JSON.stringify(r));});");
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(new JsonObject { ["records"] = records }.ToJsonString());
        node.StandardInput.Close();
        string output = await node.StandardOutput.ReadToEndAsync();
        string errors = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, errors);
        return JsonNode.Parse(output)!["records"]!.AsArray();
    }

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
        // The partition key lives in the S3 path, not in the row.
        Assert.All(rows, r => Assert.False(r.AsObject().ContainsKey("store")));
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
    public async Task Partitions_by_topic_store_and_arrival_day_when_readings_are_from_the_day_before()
    {
        var keys = Assert.Single(await InvokeAsync(Batch().ToJsonString()))!["metadata"]!["partitionKeys"]!;
        Assert.Equal("store-7", keys["store"]!.GetValue<string>());
        Assert.Equal("2026-11-22", keys["dt"]!.GetValue<string>());
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
    public async Task Drops_record_from_the_readings_table_when_it_is_an_event_or_alert()
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

    [Fact]
    public void Fits_cloudformation_inline_code_limit_when_embedded()
    {
        Assert.True(Encoding.UTF8.GetByteCount(FlattenFunctionSource.Read()) < FlattenFunctionSource.InlineLimitBytes);
    }
}
