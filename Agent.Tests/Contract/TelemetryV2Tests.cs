using System.Buffers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Contract;

public sealed class TelemetryV2Tests(ITestOutputHelper output)
{
    private static readonly TelemetryEnvelope Envelope = new("shelf-0042-01", "store-0042");
    private static readonly DateTimeOffset Sent = new(2026, 11, 22, 5, 20, 0, 123, TimeSpan.Zero);

    /// <summary>A day-old backlog of a 24-slot shelf sampled every second: what a drain after an outage sends.</summary>
    public static List<StoredReading> Backlog(int count, int slots = 24)
    {
        var random = new Random(42);
        var start = Sent.AddDays(-1);
        var items = Enumerable.Range(0, slots).Select(_ => random.Next(0, 13)).ToArray();
        return Enumerable.Range(0, count).Select(i =>
        {
            var slot = i % slots;
            if (random.Next(200) == 0 && items[slot] > 0)
            {
                items[slot]--;
            }

            var n = items[slot];
            var status = n == 0 ? StockStatus.Empty : n <= 2 ? StockStatus.Low : StockStatus.Ok;
            var grams = Math.Round(n * 355.0 + 12.5 + random.NextDouble() * 4 - 2, 1);
            return new StoredReading(
                1_000_000 + i,
                new Reading(start.AddSeconds(i / slots), $"{(char)('A' + slot / 8)}{slot % 8 + 1}", $"SKU-{slot:000}", grams, n, status));
        }).ToList();
    }

    [Fact]
    public void Encodes_the_documented_example_exactly()
    {
        var ts = new DateTimeOffset(2026, 11, 22, 5, 19, 58, TimeSpan.Zero);
        StoredReading[] readings =
        [
            new(1001, new Reading(ts, "A1", "COLA-355", 4213.5, 11, StockStatus.Ok)),
            new(1002, new Reading(ts, "B3", "ENERGY-250", null, null, StockStatus.Fault, "timeout: HX711 not ready")),
            new(1003, new Reading(ts.AddSeconds(1), "A1", "COLA-355", 3858.2, 10, StockStatus.Ok)),
        ];

        var json = Encoding.UTF8.GetString(TelemetryV2Encoder.Encode(Envelope, Sent, readings));

        Assert.Equal(
            """{"schema":"shelf.telemetry.v2","thing":"shelf-0042-01","store":"store-0042","sent":"2026-11-22T""" +
            """05:20:00.123Z","t0":"2026-11-22T05:19:58.000Z","seq":[[1001,3]],"keys":[["A1","COLA-355"],["B3","ENERGY-250"]],"key":""" +
            """[0,1,0],"dt":[0,0,1000],"grams":[4213.5,null,3858.2],"count":[11,null,10],"status":"ofo","reason":{"1":"timeout: HX711 not ready"}}""",
            json);
    }

    [Fact]
    public void A_full_backlog_batch_averages_at_most_40_bytes_per_reading()
    {
        var readings = Backlog(10_000);
        var v2 = new ArrayBufferWriter<byte>();
        var v1 = new ArrayBufferWriter<byte>();
        var takenV2 = TelemetryV2Encoder.Encode(v2, Envelope, Sent, readings, null, 64 * 1024);
        var takenV1 = TelemetryV1Encoder.Encode(v1, Envelope, Sent, readings, null, 64 * 1024);

        var perReadingV2 = (double)v2.WrittenCount / takenV2;
        var perReadingV1 = (double)v1.WrittenCount / takenV1;
        output.WriteLine($"64 KB batch: v1 {takenV1} readings, {perReadingV1:0.0} B/reading; v2 {takenV2} readings, {perReadingV2:0.0} B/reading");
        Assert.True(perReadingV2 <= 40, $"v2 costs {perReadingV2:0.0} bytes per reading");
        Assert.True(v2.WrittenCount <= 64 * 1024);
    }

    [Fact]
    public void Decoding_gives_back_the_readings_that_were_encoded()
    {
        var readings = Backlog(500);
        readings[7] = new StoredReading(
            readings[7].Seq,
            readings[7].Reading with { Grams = null, Count = null, Status = StockStatus.Fault, Reason = "timeout: HX711 not ready" });
        readings.RemoveRange(100, 20); // a gap: evicted readings
        var dropped = new Dictionary<string, long> { ["A1"] = 20 };

        var batch = TelemetryV2Decoder.Decode(TelemetryV2Encoder.Encode(Envelope, Sent, readings, dropped));

        Assert.Equal(readings, batch.Readings);
        Assert.Equal(Envelope, batch.Envelope);
        Assert.Equal(Sent, batch.Sent);
        Assert.Equal(dropped, batch.Dropped);
    }

    [Fact]
    public void Any_batch_round_trips_exactly()
    {
        var reading = from seqGap in Gen.Choose(1, 3)
                      from dtMs in Gen.Choose(-5_000, 90_000)
                      from slot in Gen.Elements("A1", "A2", "B7", "Z9")
                      from sku in Gen.Elements("COLA-355", "CHIPS-40", "Ü-Ñ \"quoted\"")
                      from decigrams in Gen.Choose(-100, 2_000_000)
                      from count in Gen.Choose(0, 500)
                      from status in Gen.Elements(StockStatus.Ok, StockStatus.Low, StockStatus.Empty, StockStatus.Fault)
                      select (seqGap, dtMs, slot, sku, decigrams, count, status);
        Prop.ForAll(reading.NonEmptyListOf().ToArbitrary(), spec =>
        {
            long seq = 1;
            var ts = Sent.AddDays(-3);
            var readings = spec.Select(s =>
            {
                seq += s.seqGap;
                ts = ts.AddMilliseconds(s.dtMs);
                var fault = s.status == StockStatus.Fault;
                return new StoredReading(
                    seq,
                    new Reading(ts, s.slot, s.sku, fault ? null : s.decigrams / 10.0, fault ? null : s.count, s.status, fault ? "bus: NACK" : null));
            }).ToList();
            var decoded = TelemetryV2Decoder.Decode(TelemetryV2Encoder.Encode(Envelope, Sent, readings));
            return decoded.Readings.SequenceEqual(readings);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Packs_only_what_fits_in_the_byte_budget()
    {
        var readings = Backlog(2_000);
        var buffer = new ArrayBufferWriter<byte>();
        var taken = TelemetryV2Encoder.Encode(buffer, Envelope, Sent, readings, null, 4096);
        Assert.InRange(buffer.WrittenCount, 1, 4096);
        Assert.InRange(taken, 100, 1_999);
        Assert.Equal(readings.Take(taken), TelemetryV2Decoder.Decode(buffer.WrittenMemory).Readings);
    }

    [Fact]
    public void A_payload_with_a_short_column_is_rejected_naming_the_column()
    {
        var json = Encoding.UTF8.GetString(TelemetryV2Encoder.Encode(Envelope, Sent, Backlog(3)));
        using var doc = JsonDocument.Parse(json);
        var grams = doc.RootElement.GetProperty("grams").GetRawText();
        var broken = json.Replace("\"grams\":" + grams, "\"grams\":[1.5]", StringComparison.Ordinal);
        var e = Assert.Throws<InvalidDataException>(() => TelemetryV2Decoder.Decode(Encoding.UTF8.GetBytes(broken)));
        Assert.Contains("grams", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The readings as per-minute summaries (one in five a plain sample, to mix the two in a batch).</summary>
    private static List<StoredReading> Summaries(List<StoredReading> readings) =>
        readings.Select((r, i) => i % 5 == 4 ? r : r with
        {
            Reading = r.Reading with { Summary = new ReadingSummary(60 - i % 3, r.Reading.Grams - 2, r.Reading.Grams + 1.5, i % 2) },
        }).ToList();

    [Fact]
    public void Per_minute_summaries_round_trip_and_a_batch_without_them_has_no_summary_field()
    {
        var summaries = Summaries(Backlog(48));
        var payload = TelemetryV2Encoder.Encode(Envelope, Sent, summaries);

        Assert.Equal(summaries, TelemetryV2Decoder.Decode(payload).Readings);
        Assert.DoesNotContain("summary", Encoding.UTF8.GetString(TelemetryV2Encoder.Encode(Envelope, Sent, Backlog(48))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payloads_validate_against_the_v2_json_schema()
    {
        var readings = Backlog(50);
        readings[3] = new StoredReading(
            readings[3].Seq,
            readings[3].Reading with { Grams = null, Count = null, Status = StockStatus.Fault, Reason = "bus: NACK" });
        var summaries = Summaries(readings.Take(24).ToList());
        var payloads = new[]
        {
            TelemetryV2Encoder.Encode(Envelope, Sent, readings),
            TelemetryV2Encoder.Encode(Envelope, Sent, readings.Take(1).ToList(), new Dictionary<string, long> { ["A1"] = 120 }),
            TelemetryV2Encoder.Encode(Envelope, Sent, summaries),
        }.Select(Encoding.UTF8.GetString);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json", payloads));

        var errors = await JsonSchemaValidator.ValidateAsync("data-contract.v2.schema.json",
            [Encoding.UTF8.GetString(TelemetryV2Encoder.Encode(Envelope, Sent, readings))
                .Replace("\"status\":\"", "\"status\":\"x", StringComparison.Ordinal)]);
        Assert.NotNull(errors);
    }
}
