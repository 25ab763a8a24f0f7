using System.Buffers;
using System.CommandLine;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Bench;

/// <summary>
/// Bytes of the agent's own messages for a 24-slot shelf, written by its encoders: what the cloud cost model
/// (Cloud/Cost/MeasuredSizes.cs) is pinned to. Deterministic: fixed readings, fixed times.
/// </summary>
public static class MessageSizes
{
    /// <summary>The shelf's slots.</summary>
    public const int Slots = 24;

    private static readonly TelemetryEnvelope Envelope = new("shelf-0042-01", "store-0042");
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The telemetry topic of the measured device.</summary>
    public static string TelemetryTopic => $"dt/shelf/{Envelope.StoreId}/{Envelope.ThingName}/telemetry";

    /// <summary>The topic the measured device publishes telemetry to with the agent's default Publish:BasicIngestRule (Basic Ingest).</summary>
    public static string BasicIngestTelemetryTopic =>
        new Topics(Envelope.StoreId, Envelope.ThingName).TelemetryVia(new Config.PublishOptions().BasicIngestRule);

    /// <summary>A live v1 batch of 5 s at 1 Hz (120 readings) (Publish:IntervalMs 5000, Sampling:IntervalMs 1000): the agent before issue 21.</summary>
    public static int LiveV1() => V1(Readings(seconds: 5));

    /// <summary>The same 120 readings as v2: the shipped default (Publish:LiveSchema).</summary>
    public static int LiveV2() => V2(Readings(seconds: 5));

    /// <summary>One minute's per-slot summaries (the minute's last sample with its summary; Publish:Readings summaries, the default), as v2.</summary>
    public static int MinuteV2() => V2(Summaries());

    /// <summary>The same summaries as v1 (the encoding of a live batch while Publish picks v1 for live data).</summary>
    public static int MinuteV1() => V1(Summaries());

    /// <summary>One pick event.</summary>
    public static int Event() => StockMessageEncoder.Encode(Envelope, new StockEvent(Start, "A1", "SKU-000", StockEventType.Pick, -1, 11)).Length;

    /// <summary>One forecast of every slot.</summary>
    public static int Forecast() => ForecastMessageEncoder.Encode(Envelope, new StockForecast(Start, 120,
        Enumerable.Range(0, Slots).Select(i => new SlotForecast(Slot(i), $"SKU-{i:000}", 7, 1.25, Start.AddHours(5.5), 0.125, ProfileSource.Device))
            .ToList())).Length;

    /// <summary>`shelf-bench message-sizes`: prints every size.</summary>
    public static Command Create()
    {
        var command = new Command("message-sizes", "Bytes of the agent's messages for a 24-slot shelf (what Cloud/Cost/MeasuredSizes.cs holds)");
        command.SetAction(_ =>
        {
            Console.WriteLine($"topic {TelemetryTopic.Length} B, Basic Ingest topic {BasicIngestTelemetryTopic.Length} B, " +
                $"live v1 {LiveV1()} B, live v2 {LiveV2()} B, minute v1 {MinuteV1()} B, minute v2 {MinuteV2()} B, " +
                $"event {Event()} B, forecast {Forecast()} B");
            return 0;
        });
        return command;
    }

    private static string Slot(int i) => $"{(char)('A' + i / 8)}{i % 8 + 1}";

    // Grams with one decimal and a little noise, as a load cell gives them; a count of 11 or 12 per slot.
    private static List<StoredReading> Readings(int seconds) =>
        Enumerable.Range(0, seconds * Slots).Select(i =>
        {
            var slot = i % Slots;
            var count = 11 + slot % 2;
            var grams = Math.Round(count * 355.0 + 12.5 + (i * 7 % 40 - 20) / 10.0, 1);
            return new StoredReading(1_000_000 + i,
                new Reading(Start.AddSeconds(i / Slots), Slot(slot), $"SKU-{slot:000}", grams, count, StockStatus.Ok));
        }).ToList();

    // A minute of 60 samples per slot: its last sample, the grams' range of a few grams of noise, no faults.
    private static List<StoredReading> Summaries() =>
        Readings(seconds: 1).Select(r => r with
        {
            Reading = r.Reading with
            {
                Summary = new ReadingSummary(60, Math.Round(r.Reading.Grams!.Value - 1.7, 1), Math.Round(r.Reading.Grams.Value + 2.3, 1), 0),
            },
        }).ToList();

    private static int V1(List<StoredReading> readings)
    {
        var output = new ArrayBufferWriter<byte>();
        var taken = TelemetryV1Encoder.Encode(output, Envelope, Start, readings, null, 128 * 1024);
        return taken == readings.Count ? output.WrittenCount : throw new InvalidOperationException("batch did not fit");
    }

    private static int V2(List<StoredReading> readings)
    {
        var output = new ArrayBufferWriter<byte>();
        var taken = TelemetryV2Encoder.Encode(output, Envelope, Start, readings, null, 128 * 1024);
        return taken == readings.Count ? output.WrittenCount : throw new InvalidOperationException("batch did not fit");
    }
}
