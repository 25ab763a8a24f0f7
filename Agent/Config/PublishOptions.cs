using ShelfAgent.Contract;

namespace ShelfAgent.Config;

/// <summary><c>Publish</c>: how readings leave the outbox.</summary>
public sealed class PublishOptions
{
    /// <summary><c>Publish:IntervalMs</c>: how often a batch of live readings is sent. A backlog drains as fast as the rate limits allow.</summary>
    public int IntervalMs { get; set; } = 5000;

    /// <summary><c>Publish:MaxPayloadBytes</c>: the largest telemetry payload (AWS IoT's limit is 128 KB).</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// <c>Publish:BacklogSchema</c>: <c>shelf.telemetry.v2</c> (compact, columnar; default) or <c>shelf.telemetry.v1</c> for backlog
    /// batches. Live data is always v1.
    /// </summary>
    public TelemetrySchema BacklogSchema { get; set; } = TelemetrySchema.V2;

    /// <summary>
    /// <c>Publish:Readings</c>: <c>summaries</c> (default) publishes one reading per slot per minute, the minute's last sample with
    /// its summary (samples, least and most grams, faults), while the raw grams stay on the device (<c>Buffer:RawRetentionDays</c>,
    /// <c>upload-readings</c> job); <c>all</c> publishes every sample.
    /// </summary>
    public Stock.PublishedReadings Readings { get; set; } = Stock.PublishedReadings.Summaries;
}
