namespace ShelfAgent.Outbox;

/// <summary>The outbox's priority lanes, in the order leases serve them (docs/buffer.md, "Order").</summary>
public enum OutboxLane
{
    /// <summary>An empty batch.</summary>
    None,
    /// <summary>Events and alerts: always first.</summary>
    Events,
    /// <summary>Telemetry stamped within the live window (the last minute by default).</summary>
    Live,
    /// <summary>Older telemetry, drained oldest first behind the live lane.</summary>
    Backlog,
}
