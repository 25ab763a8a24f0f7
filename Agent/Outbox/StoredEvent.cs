namespace ShelfAgent.Outbox;

/// <summary>An event or alert committed to the outbox.</summary>
/// <param name="Id">The outbox's own row id (not a telemetry sequence number; unique within one buffer file).</param>
/// <param name="Event">The event itself.</param>
public sealed record StoredEvent(long Id, OutboxEvent Event);
