using System.Text;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Lake;

/// <summary>
/// The transformation's answer must stay under Lambda's 6 MB synchronous response limit for a full Firehose
/// buffer (DeliverySpec.LambdaBufferMb) of the densest input, v2 backlog batches, run under node.
/// </summary>
public sealed class TransformLimitsTests : IDisposable
{
    private const int LambdaResponseLimit = 6 * 1024 * 1024;
    private readonly NodeLambda _readings = new(LambdaSource.Transform);

    public void Dispose() => _readings.Dispose();

    /// <summary>A v2 backlog batch as the agent drains it: one seq run, readings of all slots per tick.</summary>
    private static string BacklogBatch(int firstSeq, int readings, string thing, string store, (string Slot, string Sku)[] keys, bool minimal)
    {
        var key = new JsonArray();
        var dt = new JsonArray();
        var grams = new JsonArray();
        var count = new JsonArray();
        for (var i = 0; i < readings; i++)
        {
            key.Add(i % keys.Length);
            dt.Add(minimal || i % keys.Length != 0 ? 0 : 1000);
            grams.Add(minimal ? 0 : 4213.5 - (i % 7) * 35.4);
            count.Add(minimal ? 0 : 11 - (i % 3));
        }

        return new JsonObject
        {
            ["schema"] = "shelf.telemetry.v2",
            ["thing"] = thing,
            ["store"] = store,
            ["sent"] = "2026-11-22T05:20:00.123Z",
            ["t0"] = "2026-11-21T05:19:58.000Z",
            ["seq"] = new JsonArray { new JsonArray { firstSeq, readings } },
            ["keys"] = new JsonArray(keys.Select(k => (JsonNode)new JsonArray { k.Slot, k.Sku }).ToArray()),
            ["key"] = key,
            ["dt"] = dt,
            ["grams"] = grams,
            ["count"] = count,
            ["status"] = new string('o', readings),
            ["topic_store"] = store,
            ["topic_thing"] = thing,
        }.ToJsonString();
    }

    /// <summary>Records until the Lambda buffer is full, plus one: Firehose may pass the hint by a record.</summary>
    private static List<string> FullBuffer(Func<int, string> batch)
    {
        var limit = (long)(double.Parse(ShelfAgent.Cloud.Lake.DeliverySpec.LambdaBufferMb, System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024);
        var payloads = new List<string>();
        long total = 0;
        while (total <= limit)
        {
            var next = batch(payloads.Count);
            payloads.Add(next);
            total += Encoding.UTF8.GetByteCount(next);
        }

        return payloads;
    }

    private async Task<(JsonArray Records, int ResponseBytes, List<string> Payloads)> RunAsync(List<string> payloads)
    {
        var records = new JsonArray();
        for (var i = 0; i < payloads.Count; i++)
        {
            records.Add(new JsonObject
            {
                ["recordId"] = $"r{i}",
                ["approximateArrivalTimestamp"] = 1795305600123,
                ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloads[i])),
            });
        }

        var invocation = await _readings.InvokeAsync(new JsonObject { ["records"] = records }, new Dictionary<string, string> { ["OUTPUT"] = "readings" });
        Assert.Null(invocation.Error);
        return (invocation.Result!["records"]!.AsArray(), Encoding.UTF8.GetByteCount(invocation.Result.ToJsonString()), payloads);
    }

    [Fact]
    public async Task Answers_a_full_buffer_of_v2_backlog_batches_under_lambdas_6_MB_when_every_record_expands()
    {
        (string, string)[] keys = [("A1", "COLA-355"), ("A2", "COLA-500"), ("B3", "ENERGY-250"), ("B4", "WATER-1000")];
        // ~64 KB batches (the size the agent fills when draining), the contract example's names.
        var payloads = FullBuffer(i => BacklogBatch(1 + i * 4600, 4600, "shelf-0042-01", "store-0042", keys, minimal: false));
        var (records, responseBytes, _) = await RunAsync(payloads);

        Assert.All(records, r => Assert.Equal("Ok", r!["result"]!.GetValue<string>()));
        var inBytes = payloads.Sum(p => (long)Encoding.UTF8.GetByteCount(p));
        var expansion = (double)responseBytes / inBytes;
        Assert.True(responseBytes < LambdaResponseLimit, $"{responseBytes} bytes out for {inBytes} in ({expansion:F1}x)");
        Assert.True(expansion > 10, $"expected the dense v2 expansion the buffer is sized for, saw {expansion:F1}x");
    }

    [Fact]
    public async Task Keeps_the_records_past_the_response_budget_as_processing_failures_when_names_are_at_their_maximum()
    {
        // Worst case of the contract: 128-character thing, 32/64-character slot and sku, every value 0.
        string thing = new('t', 128);
        (string, string)[] keys = [(new string('s', 32), new string('k', 64))];
        var payloads = FullBuffer(i => BacklogBatch(1 + i * 8000, 8000, thing, "store-0042", keys, minimal: true));
        var (records, responseBytes, sent) = await RunAsync(payloads);

        Assert.True(responseBytes < LambdaResponseLimit, $"{responseBytes} bytes");
        Assert.Contains(records, r => r!["result"]!.GetValue<string>() == "Ok");
        var failed = records.Where(r => r!["result"]!.GetValue<string>() == "ProcessingFailed").ToList();
        Assert.NotEmpty(failed);
        // Nothing lost: a refused record goes back byte for byte, so Firehose keeps it under errors/ for replay.
        Assert.All(failed, r =>
        {
            var index = int.Parse(r!["recordId"]!.GetValue<string>()[1..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(sent[index], Encoding.UTF8.GetString(Convert.FromBase64String(r["data"]!.GetValue<string>())));
        });
    }
}
