using ShelfAgent.IotCore;

namespace ShelfAgent.Hosting;

/// <summary>What the publishing loop needs from configuration, resolved once at start.</summary>
public sealed record PublishSettings(
    Topics Topics,
    TelemetryEnvelope Envelope,
    TimeSpan Interval,
    int MaxPayloadBytes,
    int MaxInFlight)
{
    /// <summary>
    /// How many readings to lease for one batch: a v1 reading takes about 100 bytes, so this over-asks a
    /// little and the encoder returns what does not fit.
    /// </summary>
    public int MaxReadingsPerBatch => Math.Clamp(MaxPayloadBytes / 90, 1, 2000);
}
