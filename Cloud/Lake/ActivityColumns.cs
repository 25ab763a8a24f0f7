namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The row schema of shelf activity in the lake: one row per pick/restock event (shelf.event.v1) or alert
/// (shelf.alert.v1), told apart by <c>schema</c> (docs/event.schema.json, docs/alert.schema.json; Cloud.Tests
/// checks they agree). Fields one kind lacks are null (delta for alerts, reason for events).
/// </summary>
public static class ActivityColumns
{
    /// <summary>Data columns, in Parquet order (partition keys as for readings: store, dt = arrival day).</summary>
    public static IReadOnlyList<GlueColumn> Columns { get; } =
    [
        new("schema", "string", "shelf.event.v1 or shelf.alert.v1"),
        new("thing", "string", "Thing name (= MQTT client id), from the topic"),
        new("ts", "timestamp", "When the reading behind the event or alert was taken (UTC)"),
        new("slot", "string", "Slot id on the shelf"),
        new("sku", "string", "Product in the slot"),
        new("type", "string", "pick | restock (events); low | empty | fault | recovered (alerts)"),
        new("delta", "int", "Items changed: negative for a pick, positive for a restock; null for alerts"),
        new("count", "int", "Settled count after the change or at the alert; null for a fault alert"),
        new("reason", "string", "Fault reason (fault alerts only)"),
        new("received", "timestamp", "When the message reached the Kinesis stream (UTC)"),
    ];
}
