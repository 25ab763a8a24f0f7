using ShelfAgent.IotCore;

namespace ShelfAgent.Hosting;

/// <summary>What the publishing loop needs from configuration, resolved once at start.</summary>
/// <param name="Topics">The device's topics.</param>
/// <param name="Envelope">Thing and store of every payload.</param>
/// <param name="Interval"><c>Publish:IntervalMs</c>: how long a partial (live) batch waits for more readings.</param>
/// <param name="MaxPayloadBytes"><c>Publish:MaxPayloadBytes</c>.</param>
/// <param name="MaxInFlight"><c>Mqtt:MaxInFlight</c>: batches awaiting PUBACK at once.</param>
/// <param name="CompactBacklog"><c>Publish:BacklogSchema</c> is shelf.telemetry.v2: backlog batches use the columnar encoding.</param>
public sealed record PublishSettings(
    Topics Topics,
    TelemetryEnvelope Envelope,
    TimeSpan Interval,
    int MaxPayloadBytes,
    int MaxInFlight,
    bool CompactBacklog = true)
{
    /// <summary>
    /// How many readings to lease for one batch. A v1 reading takes about 100 bytes and a v2 reading about
    /// 13, so this over-asks a little for the encoding in use; the encoder returns what does not fit.
    /// </summary>
    public int MaxReadingsPerBatch => CompactBacklog
        ? Math.Clamp(MaxPayloadBytes / 10, 1, 20_000)
        : Math.Clamp(MaxPayloadBytes / 90, 1, 2_000);
}
