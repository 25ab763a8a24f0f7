using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.Contract;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.LocalLake.Tests.Ingest;

/// <summary>Telemetry batches as raw reading rows, as shelf-transform.js makes them.</summary>
public sealed class MessageRowsTests
{
    private static readonly DateTimeOffset Sent = new(2026, 10, 5, 10, 0, 30, TimeSpan.Zero);
    private static readonly DateTimeOffset Arrived = new(2026, 10, 5, 10, 0, 31, TimeSpan.Zero);

    private static readonly StoredReading[] Readings =
    [
        new(7, new Reading(new DateTimeOffset(2026, 10, 5, 10, 0, 0, TimeSpan.Zero), "A1", "X", 512.5, 4, StockStatus.Ok)),
        new(8, new Reading(new DateTimeOffset(2026, 10, 5, 10, 0, 10, TimeSpan.Zero), "A1", "X", null, null, StockStatus.Fault, "timeout", true)),
    ];

    [Fact]
    public void A_v1_batch_gives_one_row_per_reading_with_dropped_on_the_first_only()
    {
        var payload = TelemetryV1Encoder.Encode(new TelemetryEnvelope("t-1", "s-1"), Sent, Readings, new Dictionary<string, long> { ["A1"] = 3 });

        var rows = MessageRows.Of(payload, Arrived, "s-1", "t-1").ToList();

        Assert.All(rows, r => Assert.Equal("readings", r.Table));
        var first = JsonNode.Parse(rows[0].Row)!;
        var second = JsonNode.Parse(rows[1].Row)!;
        Assert.Equal(2, rows.Count);
        Assert.Equal(3, (int)first["dropped"]!["A1"]!);
        Assert.Null(second["dropped"]);
        Assert.Equal(7, (long)first["seq"]!);
        Assert.Equal(512.5, (double)first["grams"]!);
        Assert.False((bool)first["timeUntrusted"]!);
        Assert.True((bool)second["timeUntrusted"]!);
        Assert.Equal("timeout", (string?)second["reason"]);
        Assert.Equal("shelf.telemetry.v1", (string?)first["schema"]);
        Assert.StartsWith("2026-10-05T10:00:31", (string?)first["received"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_v2_batch_gives_the_rows_of_the_same_readings_in_v1_with_its_own_schema()
    {
        var envelope = new TelemetryEnvelope("t-1", "s-1");
        var v1 = MessageRows.Of(TelemetryV1Encoder.Encode(envelope, Sent, Readings), Arrived).Select(r => JsonNode.Parse(r.Row)!.AsObject()).ToList();
        var v2 = MessageRows.Of(TelemetryV2Encoder.Encode(envelope, Sent, Readings), Arrived).Select(r => JsonNode.Parse(r.Row)!.AsObject()).ToList();

        Assert.Equal(v1.Count, v2.Count);
        for (var i = 0; i < v1.Count; i++)
        {
            Assert.Equal("shelf.telemetry.v2", (string?)v2[i]["schema"]);
            v2[i]["schema"] = "shelf.telemetry.v1";
            Assert.True(JsonNode.DeepEquals(v1[i], v2[i]), $"{v1[i].ToJsonString()} vs {v2[i].ToJsonString()}");
        }
    }

    [Fact]
    public void A_message_whose_store_is_not_its_topics_is_refused()
    {
        var payload = Encoding.UTF8.GetBytes(
            """{"schema":"shelf.event.v1","thing":"t-1","store":"s-2","ts":"2026-10-05T10:00:00Z","slot":"A1","type":"pick"}""");

        Assert.ThrowsAny<JsonException>(() => MessageRows.Of(payload, Arrived, "s-1", "t-1").ToList());
    }

    [Theory]
    [InlineData("dt/shelf/s-1/t-1/forecast", true)]
    [InlineData("dt/shelf/s-1/t-1", false)]
    [InlineData("dt/shelf//t-1/events", false)]
    [InlineData("cmd/shelf/s-1/t-1/events", false)]
    public void A_device_topic_names_its_store_and_thing(string topic, bool device)
    {
        Assert.Equal(device, TopicIdentity.TryParse(topic, out var store, out var thing));
        Assert.Equal(device ? ("s-1", "t-1") : ("", ""), (store, thing));
    }
}
