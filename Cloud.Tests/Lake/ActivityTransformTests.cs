using System.Text;
using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests.Lake;

/// <summary>The activity transformation on CONTRACT-13's payloads: forecasts (one row per slot) and predicted-empty alerts, under node.</summary>
public sealed class ActivityTransformTests : IDisposable
{
    private readonly NodeLambda _activity = new(LambdaSource.Activity);

    public void Dispose() => _activity.Dispose();

    /// <summary>CONTRACT-13's forecast example, as the rule delivers it, with a second slot expecting no stock-out.</summary>
    private static JsonObject Forecast() => JsonNode.Parse("""
        {"schema":"shelf.forecast.v1","thing":"shelf-0042-01","store":"store-0042","ts":"2026-11-22T05:15:00.000Z",
         "horizonMinutes":60,
         "slots":[{"slot":"A1","sku":"COLA-355","count":9,"ratePerHour":4.2,
                   "expectedEmpty":"2026-11-22T07:20:00.000Z","probEmpty":0.12,"profile":"cloud","nextRefill":"2026-11-22T09:30:00.000Z"},
                  {"slot":"B3","sku":"ENERGY-250","count":null,"ratePerHour":0,"expectedEmpty":null,"probEmpty":0,"profile":"none"}],
         "topic_store":"store-0042","topic_thing":"shelf-0042-01"}
        """)!.AsObject();

    private async Task<JsonArray> InvokeAsync(string mode, params string[] payloads)
    {
        var records = new JsonArray();
        for (var i = 0; i < payloads.Length; i++)
        {
            records.Add(new JsonObject
            {
                ["recordId"] = $"r{i}",
                ["approximateArrivalTimestamp"] = 1795305600123,
                ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloads[i])),
            });
        }

        var invocation = await _activity.InvokeAsync(new JsonObject { ["records"] = records }, new Dictionary<string, string> { ["OUTPUT"] = mode });
        Assert.Null(invocation.Error);
        return invocation.Result!["records"]!.AsArray();
    }

    private static List<JsonNode> Rows(JsonNode record) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(record["data"]!.GetValue<string>()))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

    [Fact]
    public async Task Emits_one_row_per_slot_with_the_message_fields_when_a_forecast_arrives()
    {
        var result = Assert.Single(await InvokeAsync("forecasts", Forecast().ToJsonString()))!;
        Assert.Equal("Ok", result["result"]!.GetValue<string>());
        Assert.Equal("2026-11-22", result["metadata"]!["partitionKeys"]!["dt"]!.GetValue<string>());
        var rows = Rows(result);
        Assert.Equal(["A1", "B3"], rows.Select(r => r["slot"]!.GetValue<string>()));
        Assert.All(rows, r =>
        {
            Assert.Equal("shelf-0042-01", r["thing"]!.GetValue<string>());
            Assert.Equal("store-0042", r["store"]!.GetValue<string>());
            Assert.Equal("2026-11-22T05:15:00.000Z", r["ts"]!.GetValue<string>());
            Assert.Equal(60, r["horizonMinutes"]!.GetValue<int>());
            Assert.Equal(1795305600123, r["received"]!.GetValue<long>());
        });
        Assert.Equal("2026-11-22T07:20:00.000Z", rows[0]["expectedEmpty"]!.GetValue<string>());
        Assert.Equal(0.12, rows[0]["probEmpty"]!.GetValue<double>());
        Assert.Equal(4.2, rows[0]["ratePerHour"]!.GetValue<double>());
        Assert.Equal("cloud", rows[0]["profile"]!.GetValue<string>());
        Assert.Equal("2026-11-22T09:30:00.000Z", rows[0]["nextRefill"]!.GetValue<string>());
        Assert.Null(rows[1]["expectedEmpty"]);
        Assert.Null(rows[1]["nextRefill"]);
        Assert.Null(rows[1]["count"]);
    }

    [Fact]
    public async Task Keeps_forecast_as_processing_failure_when_it_has_no_slots_or_a_spoofed_thing()
    {
        var empty = Forecast();
        empty["slots"] = new JsonArray();
        var spoofed = Forecast();
        spoofed["thing"] = "shelf-9999-01";
        var results = await InvokeAsync("forecasts", empty.ToJsonString(), spoofed.ToJsonString(), "{\"schema\":\"shelf.forecast.v1\",");
        Assert.All(results, r => Assert.Equal("ProcessingFailed", r!["result"]!.GetValue<string>()));
        Assert.Equal(spoofed.ToJsonString(), Encoding.UTF8.GetString(Convert.FromBase64String(results[1]!["data"]!.GetValue<string>())));
    }

    [Fact]
    public async Task Drops_events_and_telemetry_from_the_forecast_output_and_forecasts_from_the_activity_output()
    {
        var forecasts = await InvokeAsync("forecasts", """{"schema":"shelf.event.v1"}""", """{"schema":"shelf.telemetry.v2"}""");
        Assert.All(forecasts, r => Assert.Equal("Dropped", r!["result"]!.GetValue<string>()));
        Assert.Equal("Dropped", Assert.Single(await InvokeAsync("activity", Forecast().ToJsonString()))!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keeps_the_prediction_fields_when_a_predicted_empty_alert_arrives()
    {
        var alert = JsonNode.Parse("""
            {"schema":"shelf.alert.v1","thing":"shelf-0042-01","store":"store-0042","ts":"2026-11-22T05:15:00.000Z",
             "slot":"A1","sku":"COLA-355","type":"predicted-empty","count":9,"expectedEmpty":"2026-11-22T06:05:00.000Z",
             "probability":0.86,"ratePerHour":11.5,"horizonMinutes":60,"topic_store":"store-0042","topic_thing":"shelf-0042-01"}
            """)!;
        var cleared = JsonNode.Parse("""
            {"schema":"shelf.alert.v1","thing":"shelf-0042-01","store":"store-0042","ts":"2026-11-22T05:40:00.000Z",
             "slot":"A1","sku":"COLA-355","type":"predicted-empty-cleared","count":24,"reason":"restocked",
             "topic_store":"store-0042","topic_thing":"shelf-0042-01"}
            """)!;
        var results = await InvokeAsync("activity", alert.ToJsonString(), cleared.ToJsonString());
        var row = Assert.Single(Rows(results[0]!));
        Assert.Equal("predicted-empty", row["type"]!.GetValue<string>());
        Assert.Equal("2026-11-22T06:05:00.000Z", row["expectedEmpty"]!.GetValue<string>());
        Assert.Equal(0.86, row["probability"]!.GetValue<double>());
        Assert.Equal(11.5, row["ratePerHour"]!.GetValue<double>());
        Assert.Equal(60, row["horizonMinutes"]!.GetValue<int>());
        var clear = Assert.Single(Rows(results[1]!));
        Assert.Equal("restocked", clear["reason"]!.GetValue<string>());
        Assert.Null(clear["probability"]);
    }
}
