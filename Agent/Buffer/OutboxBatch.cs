namespace ShelfAgent.Buffer;

/// <summary>
/// Readings leased from the outbox for one publish. They stay in the file until
/// <see cref="IOutbox.AckAsync"/> (after PUBACK) and return to the queue on <see cref="IOutbox.Release"/>.
/// </summary>
/// <param name="Readings">In sequence order.</param>
/// <param name="Dropped">Readings evicted per slot since the last acknowledged report (empty when none).</param>
public sealed record OutboxBatch(IReadOnlyList<StoredReading> Readings, IReadOnlyDictionary<string, long> Dropped);
