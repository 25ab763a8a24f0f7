using System.Collections.ObjectModel;

namespace ShelfAgent.Outbox;

/// <summary>
/// Readings leased from the outbox for one publish. They stay in the file until
/// <see cref="IOutbox.AckAsync"/> (after PUBACK) and return to the queue on <see cref="IOutbox.Release"/>.
/// A batch holds either events/alerts (<see cref="Events"/>) or telemetry (<see cref="Readings"/>), never both.
/// </summary>
/// <param name="Readings">In sequence order.</param>
/// <param name="Dropped">Readings evicted per slot since the last acknowledged report (empty when none).</param>
public sealed record OutboxBatch(IReadOnlyList<StoredReading> Readings, IReadOnlyDictionary<string, long> Dropped)
{
    /// <summary>A batch with nothing in it (what a lease returns when nothing is waiting).</summary>
    public static OutboxBatch Empty { get; } = new([], ReadOnlyDictionary<string, long>.Empty);

    /// <summary>Events and alerts, oldest first; each is published on its own topic (see <see cref="OutboxEvent.Kind"/>).</summary>
    public IReadOnlyList<StoredEvent> Events { get; init; } = [];

    /// <summary>The lane the batch was taken from (a telemetry batch that starts live and fills up from backlog is <see cref="OutboxLane.Live"/>).</summary>
    public OutboxLane Lane { get; init; } = OutboxLane.None;

    /// <summary>True when the batch holds neither readings nor events.</summary>
    public bool IsEmpty => Readings.Count == 0 && Events.Count == 0;
}
