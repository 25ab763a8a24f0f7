using System.Text.Json;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Tests.Outbox;

namespace ShelfAgent.Tests.Contract;

public sealed class TimeUntrustedTests
{
    private static readonly TelemetryEnvelope Envelope = new("shelf-1", "store-1");
    private static readonly DateTimeOffset T = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static List<StoredReading> Readings() =>
    [
        new(1, new Reading(T, "A1", "COLA", 100, 3, StockStatus.Ok)),
        new(2, new Reading(T.AddSeconds(1), "A1", "COLA", 100, 3, StockStatus.Low, null, TimeUntrusted: true)),
    ];

    [Fact]
    public void V1_marks_only_untrusted_readings()
    {
        using var doc = JsonDocument.Parse(TelemetryV1Encoder.Encode(Envelope, T, Readings()));
        var readings = doc.RootElement.GetProperty("readings");
        Assert.False(readings[0].TryGetProperty("timeUntrusted", out _));
        Assert.True(readings[1].GetProperty("timeUntrusted").GetBoolean());
    }

    [Fact]
    public void V2_lists_untrusted_indices_and_decodes_them_back()
    {
        var payload = TelemetryV2Encoder.Encode(Envelope, T, Readings());
        using (var doc = JsonDocument.Parse(payload))
        {
            Assert.Equal([1], doc.RootElement.GetProperty("untrusted").EnumerateArray().Select(e => e.GetInt32()));
        }

        var back = TelemetryV2Decoder.Decode(payload).Readings;
        Assert.Equal([false, true], back.Select(r => r.Reading.TimeUntrusted));
    }

    [Fact]
    public async Task The_outbox_keeps_the_mark_without_changing_the_status()
    {
        using var dir = new TempDirectory("untrusted");
        await using var outbox = await OutboxTestData.OpenAsync(dir.File("outbox.db"));
        await outbox.AppendAsync(Readings().Select(r => r.Reading).ToList(), CancellationToken.None);
        var batch = await outbox.LeaseAsync(10, CancellationToken.None);
        Assert.Equal([(StockStatus.Ok, false), (StockStatus.Low, true)], batch.Readings.Select(r => (r.Reading.Status, r.Reading.TimeUntrusted)));
    }
}
