using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>One caller's readings (or one event) waiting for the next group commit.</summary>
internal sealed class CommitRequest(IReadOnlyList<Reading> readings, OutboxEvent? outboxEvent, CancellationToken cancellation,
    IReadOnlyList<Reading>? raw = null)
{
    public IReadOnlyList<Reading> Readings { get; } = readings;

    /// <summary>Samples kept as raw grams only (never published), committed with <see cref="Readings"/>.</summary>
    public IReadOnlyList<Reading> Raw { get; } = raw ?? [];

    public OutboxEvent? Event { get; } = outboxEvent;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Completed after the commit with the readings' sequence numbers (or the event's id).</summary>
    public TaskCompletionSource<long[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
