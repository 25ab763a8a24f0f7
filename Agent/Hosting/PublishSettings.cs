using ShelfAgent.IotCore;

namespace ShelfAgent.Hosting;

/// <summary>What the publishing loop needs from configuration, resolved once at start.</summary>
/// <param name="Topics">The device's topics.</param>
/// <param name="Envelope">Thing and store of every payload.</param>
/// <param name="Interval"><c>Publish:IntervalMs</c>: how long a partial (live) batch waits for more readings.</param>
/// <param name="MaxPayloadBytes"><c>Publish:MaxPayloadBytes</c>.</param>
/// <param name="MaxInFlight"><c>Mqtt:MaxInFlight</c>: batches awaiting PUBACK at once.</param>
/// <param name="CompactBacklog"><c>Publish:BacklogSchema</c> is shelf.telemetry.v2: batches carrying backlog use the columnar encoding.</param>
/// <param name="LiveWindow"><c>Buffer:LiveWindowSeconds</c>: readings younger than this are live.</param>
public sealed record PublishSettings(
    Topics Topics,
    TelemetryEnvelope Envelope,
    TimeSpan Interval,
    int MaxPayloadBytes,
    int MaxInFlight,
    bool CompactBacklog = true,
    TimeSpan? LiveWindow = null)
{
    /// <summary>
    /// Whether to encode a batch as <c>shelf.telemetry.v2</c>: when compact backlog is on and any reading in it
    /// is older than the live window. The outbox fills a batch with live readings first and backlog after, so
    /// during a drain almost every batch starts live; deciding by content keeps the drain compact while a
    /// shelf without backlog stays in the readable v1.
    /// </summary>
    public bool UseCompact(IReadOnlyList<Buffer.StoredReading> readings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var oldest = now - (LiveWindow ?? TimeSpan.FromSeconds(60));
        return CompactBacklog && readings.Any(r => r.Reading.Timestamp < oldest);
    }

    /// <summary>
    /// How many readings to lease for one batch. A v1 reading takes about 100 bytes and a v2 reading about
    /// 13, so this over-asks a little for the encoding in use; the encoder returns what does not fit.
    /// </summary>
    public int MaxReadingsPerBatch => CompactBacklog
        ? Math.Clamp(MaxPayloadBytes / 10, 1, 20_000)
        : Math.Clamp(MaxPayloadBytes / 90, 1, 2_000);
}
