using System.Buffers;
using System.Text;
using System.Text.Json;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Contract;

public sealed class TelemetryV1EncoderTests
{
    private static readonly TelemetryEnvelope Envelope = new("shelf-0042-01", "store-0042");
    private static readonly DateTimeOffset Sent = new(2026, 11, 22, 5, 20, 0, 123, TimeSpan.Zero);

    private static StoredReading Ok(long seq) => new(seq, new Reading(Sent.AddSeconds(-2), "A1", "COLA-355", 4213.5, 11, StockStatus.Ok));

    [Fact]
    public void Encodes_the_documented_example_exactly()
    {
        var json = Encoding.UTF8.GetString(TelemetryV1Encoder.Encode(Envelope, Sent, [Ok(1001)]));

        Assert.Equal(
            """{"schema":"shelf.telemetry.v1","thing":"shelf-0042-01","store":"store-0042","sent":"2026-11-22T05:20:00.123Z","readings":[""" +
            """{"seq":1001,"ts":"2026-11-22T05:19:58.123Z","slot":"A1","sku":"COLA-355","grams":4213.5,"count":11,"status":"ok"}]}""",
            json);
    }

    [Fact]
    public void Writes_the_summary_of_a_per_minute_reading_after_its_fields()
    {
        var reading = new StoredReading(7, new Reading(Sent, "A1", "COLA-355", 4213.5, 11, StockStatus.Ok, Summary: new ReadingSummary(60, 4211, 4215.5, 0)));
        var json = Encoding.UTF8.GetString(TelemetryV1Encoder.Encode(Envelope, Sent, [reading]));

        Assert.Contains("\"status\":\"ok\",\"summary\":{\"n\":60,\"gramsMin\":4211,\"gramsMax\":4215.5,\"faults\":0}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_null_grams_and_count_and_a_reason_when_the_reading_is_a_fault()
    {
        var fault = new StoredReading(7, new Reading(Sent, "B3", "ENERGY-250", null, null, StockStatus.Fault, "timeout: HX711 not ready"));

        using var doc = JsonDocument.Parse(TelemetryV1Encoder.Encode(Envelope, Sent, [fault]));
        var r = doc.RootElement.GetProperty("readings")[0];

        Assert.Equal(JsonValueKind.Null, r.GetProperty("grams").ValueKind);
        Assert.Equal(JsonValueKind.Null, r.GetProperty("count").ValueKind);
        Assert.Equal("fault", r.GetProperty("status").GetString());
        Assert.Equal("timeout: HX711 not ready", r.GetProperty("reason").GetString());
    }

    [Fact]
    public void Packs_only_what_fits_and_stays_valid_json_when_the_byte_budget_is_small()
    {
        var readings = Enumerable.Range(1, 500).Select(i => Ok(i)).ToList();
        var buffer = new ArrayBufferWriter<byte>();

        var taken = TelemetryV1Encoder.Encode(buffer, Envelope, Sent, readings, null, 4096);

        Assert.InRange(buffer.WrittenCount, 1, 4096);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal(taken, doc.RootElement.GetProperty("readings").GetArrayLength());
        Assert.InRange(taken, 20, 499);
    }

    [Fact]
    public async Task Payloads_validate_against_the_published_json_schema()
    {
        var fault = new StoredReading(3, new Reading(Sent, "B3", "ENERGY-250", null, null, StockStatus.Fault, "bus: NACK"));
        var low = new StoredReading(4, new Reading(Sent, "A2", "COLA-ZERO-355", 520.2, 1, StockStatus.Low));
        var empty = new StoredReading(5, new Reading(Sent, "A3", "LEMON-500", 151, 0, StockStatus.Empty));
        var summary = new StoredReading(6, new Reading(Sent, "A1", "COLA-355", 4213.5, 11, StockStatus.Ok, Summary: new ReadingSummary(60, 4211, 4215.5, 1)));
        var payloads = new[]
        {
            TelemetryV1Encoder.Encode(Envelope, Sent, [Ok(1), Ok(2), fault, low, empty, summary]),
            TelemetryV1Encoder.Encode(Envelope, Sent, [Ok(9)], new Dictionary<string, long> { ["A1"] = 120, ["B3"] = 4 }),
        }.Select(Encoding.UTF8.GetString);

        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", payloads));
    }

    [Fact]
    public async Task Schema_rejects_a_payload_that_breaks_the_contract()
    {
        var broken = """{"schema":"shelf.telemetry.v1","thing":"t","store":"s","sent":"2026-11-22T05:20:00Z","readings":[""" +
            """{"seq":0,"ts":"x","slot":"A1","sku":"C","grams":1,"count":-1,"status":"full"}]}""";

        var errors = await JsonSchemaValidator.ValidateAsync("data-contract.schema.json", [broken]);

        Assert.NotNull(errors);
    }
}
