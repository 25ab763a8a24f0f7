using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>
/// The store-and-forward queue between sampling and publishing. A reading is durable once
/// <c>AppendAsync</c> returns and leaves only through <see cref="AckAsync"/>.
/// </summary>
public interface IOutbox : IAsyncDisposable
{
    /// <summary>Commits readings and returns their sequence numbers, in order, after the commit.</summary>
    ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken);

    /// <summary>
    /// Commits readings to publish and, in the same transaction, samples kept only as raw grams on the device
    /// (<c>Buffer:RawRetentionDays</c>; never published, read by the <c>upload-readings</c> job). Returns the readings' sequence numbers.
    /// </summary>
    ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Reading> readings, IReadOnlyList<Reading> raw, CancellationToken cancellationToken);

    /// <summary>Commits an event or alert (first lane; never evicted) and returns its id after the commit.</summary>
    ValueTask<long> AppendEventAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="maxReadings"/> readings that are not already in flight, in lane order
    /// (live, then backlog). Returns an empty batch when nothing is waiting.
    /// </summary>
    ValueTask<OutboxBatch> LeaseAsync(int maxReadings, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="maxEvents"/> events and alerts not already in flight, oldest first (the first
    /// lane: a publisher calls this before <see cref="LeaseAsync"/>). Returns an empty batch when none wait.
    /// </summary>
    ValueTask<OutboxBatch> LeaseEventsAsync(int maxEvents, CancellationToken cancellationToken);

    /// <summary>The broker acknowledged the batch: delete its readings (and clear the dropped counts it reported).</summary>
    ValueTask AckAsync(OutboxBatch batch, CancellationToken cancellationToken);

    /// <summary>The batch was not acknowledged (connection lost): make its readings leasable again.</summary>
    void Release(OutboxBatch batch);

    /// <summary>Completes when at least one reading, event or alert is leasable.</summary>
    ValueTask WaitForDataAsync(CancellationToken cancellationToken);

    /// <summary>Completes when an event or alert can be leased (first lane), so a publisher pausing for more telemetry can cut its pause short.</summary>
    ValueTask WaitForEventsAsync(CancellationToken cancellationToken);
}
