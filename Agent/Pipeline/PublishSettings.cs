using ShelfAgent.Contract;

namespace ShelfAgent.Pipeline;

/// <summary>What the publishing loop needs from configuration, resolved once at start.</summary>
/// <param name="Topics">The device's topics.</param>
/// <param name="Envelope">Thing and store of every payload.</param>
/// <param name="Interval"><c>Publish:IntervalMs</c>: how long a partial (live) batch waits for more readings.</param>
/// <param name="MaxPayloadBytes"><c>Publish:MaxPayloadBytes</c>.</param>
/// <param name="BacklogSchema"><c>Publish:BacklogSchema</c>: with <see cref="TelemetrySchema.V2"/> batches carrying backlog use the columnar encoding.</param>
/// <param name="LiveWindow"><c>Buffer:LiveWindowSeconds</c>: readings younger than this are live.</param>
/// <param name="MaxBytesPerSecond"><c>Mqtt:MaxBytesPerSecond</c>: the connection's byte budget, 0 for none.</param>
/// <param name="MaxPublishesPerSecond"><c>Mqtt:MaxPublishesPerSecond</c>: the connection's message budget, 0 for none.</param>
/// <param name="LiveSchema"><c>Publish:LiveSchema</c>: the encoding of batches of live readings only.</param>
/// <param name="BasicIngestRule"><c>Publish:BasicIngestRule</c>: telemetry goes to <c>$aws/rules/{rule}/…</c>; empty for the plain topic.</param>
/// <param name="SummaryOffset">
/// With minute summaries spread (<see cref="Pipeline.SummarySecond"/>): the device's second of the minute, at which a partial (live)
/// batch is sent instead of after <paramref name="Interval"/>; null: every <paramref name="Interval"/>.
/// </param>
public sealed record PublishSettings(
    Topics Topics,
    TelemetryEnvelope Envelope,
    TimeSpan Interval,
    int MaxPayloadBytes,
    TelemetrySchema BacklogSchema = TelemetrySchema.V2,
    TimeSpan? LiveWindow = null,
    long MaxBytesPerSecond = 0,
    double MaxPublishesPerSecond = 0,
    TelemetrySchema LiveSchema = TelemetrySchema.V2,
    string BasicIngestRule = "",
    TimeSpan? SummaryOffset = null)
{
    /// <summary>
    /// Where telemetry batches are published: the device's telemetry topic, or its Basic Ingest form
    /// (<see cref="Topics.BasicIngest"/>) when <see cref="BasicIngestRule"/> is set.
    /// </summary>
    public string TelemetryTopic => Topics.TelemetryVia(BasicIngestRule);

    /// <summary>
    /// The largest payload of a batch that carries backlog: <c>Publish:MaxPayloadBytes</c>, but under a byte budget at
    /// most 1/64 of a second's worth on the wire (~8 KB under AWS IoT's 512 KB/s: 8,192 less the PUBLISH header, the
    /// topic and a TLS record's overhead, counted by <see cref="Transport.PublishPacketSize"/> as the transport's pacing
    /// counts them), never under 1 KB. Small batches use the budget evenly: with 64 KB batches
    /// only 7 or 8 fit in a second's 512 KB once anything else (live data, an alert) shares it, so up to 1/8 of the
    /// budget would go unused; with ~8 KB batches ≥ 95% of it is used, and an alert queued behind the drain waits
    /// for a small batch, not a large one. A v2 reading still takes only ~14–16 bytes in an 8 KB batch.
    /// </summary>
    /// <remarks>
    /// With a message budget under 100/s the batches are fewer and larger: at most ~64% of the message budget goes
    /// to backlog batches (64 per second under AWS's 100), the rest left for live data, events and alerts.
    /// </remarks>
    public int BacklogPayloadBytes => MaxBytesPerSecond > 0
        ? Math.Min(MaxPayloadBytes, Math.Max(1024, Transport.PublishPacketSize.LargestPayloadWithin(
            (int)Math.Min(int.MaxValue, MaxBytesPerSecond / BacklogBatchesPerSecond),
            System.Text.Encoding.UTF8.GetByteCount(TelemetryTopic))))
        : MaxPayloadBytes;

    private int BacklogBatchesPerSecond => MaxPublishesPerSecond > 0
        ? (int)Math.Clamp(Math.Floor(MaxPublishesPerSecond * 0.64), 1, 64)
        : 64;

    /// <summary>
    /// The largest payload of a batch of live readings only in v1: <c>Publish:MaxPayloadBytes</c>, but never more than
    /// a quarter of a second's byte budget (at least 1 KB), so that one live message cannot take a small budget whole.
    /// </summary>
    public int LivePayloadBytes => MaxBytesPerSecond > 0
        ? (int)Math.Min(MaxPayloadBytes, Math.Max(1024, MaxBytesPerSecond / 4))
        : MaxPayloadBytes;

    /// <summary>
    /// Whether to encode a batch as <c>shelf.telemetry.v2</c>. A batch with any reading older than the live window
    /// carries backlog and goes in <see cref="BacklogSchema"/>; a batch of live readings only goes in
    /// <see cref="LiveSchema"/> (v2 by default since issue 21: a sixth of the bytes, one 5 KB metering unit instead of
    /// three), except that with compact backlog it is v2 when <paramref name="moreWaiting"/> (the lease came back full:
    /// readings are piling up faster than one batch carries, a backlog in the making even if all of them are recent).
    /// The outbox fills a batch with live readings first and backlog after, so during a drain almost every batch starts
    /// live; deciding by content keeps the drain compact. Without the last rule, live data that v1 cannot carry within
    /// a small byte budget would take all of it, each batch all-live and v1, and the backlog behind it would never move.
    /// </summary>
    public bool UseCompact(IReadOnlyList<Outbox.StoredReading> readings, DateTimeOffset now, bool moreWaiting = false)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var oldest = now - (LiveWindow ?? TimeSpan.FromSeconds(60));
        return readings.Any(r => r.Reading.Timestamp < oldest)
            ? CompactBacklog
            : LiveSchema == TelemetrySchema.V2 || (CompactBacklog && moreWaiting);
    }

    /// <summary>Batches that carry backlog go out as <c>shelf.telemetry.v2</c>.</summary>
    public bool CompactBacklog => BacklogSchema == TelemetrySchema.V2;

    /// <summary>
    /// How many readings to lease for one batch. A v1 reading takes about 100 bytes and a v2 reading about
    /// 13, so this over-asks a little for the encoding in use; the encoder returns what does not fit.
    /// </summary>
    public int MaxReadingsPerBatch => CompactBacklog
        ? Math.Clamp(BacklogPayloadBytes / 10, 1, 20_000)
        : Math.Clamp(MaxPayloadBytes / 90, 1, 2_000);
}
