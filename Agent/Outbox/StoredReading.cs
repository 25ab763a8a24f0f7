using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>A reading committed to the outbox, with its per-device sequence number.</summary>
/// <param name="Seq">Assigned at commit; never repeats for this device, even across restarts.</param>
/// <param name="Reading">The reading itself.</param>
public sealed record StoredReading(long Seq, Reading Reading);
