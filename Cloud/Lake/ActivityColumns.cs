namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The row schema of shelf activity in the lake: one row per pick/restock event (shelf.event.v1) or alert
/// (shelf.alert.v1), told apart by <c>schema</c> (docs/event.schema.json, docs/alert.schema.json; Cloud.Tests
/// checks they agree). Fields one kind lacks are null (delta for alerts, reason for events).
/// </summary>
public static class ActivityColumns
{
    /// <summary>Data columns, in Parquet order (partition key as for readings: dt = arrival day).</summary>
    public static IReadOnlyList<GlueColumn> Columns { get; } =
    [
        new("schema", "string", "shelf.event.v1 or shelf.alert.v1"),
        new("thing", "string", "Thing name (= MQTT client id), from the topic"),
        ReadingColumns.Store,
        new("ts", "timestamp", "When the reading behind the event or alert was taken (UTC)"),
        new("slot", "string", "Slot id on the shelf"),
        new("sku", "string", "Product in the slot"),
        new("type", "string", "pick | restock (events); low | empty | fault | recovered | predicted-empty | predicted-empty-cleared (alerts)"),
        new("delta", "int", "Items changed: negative for a pick, positive for a restock; null for alerts"),
        new("count", "int", "Settled count after the change or at the alert; null for a fault alert"),
        new("reason", "string", "Fault reason (fault alerts); restocked | danger-passed (predicted-empty-cleared)"),
        new("expectedEmpty", "timestamp", "predicted-empty: when the slot is expected to reach 0 (UTC)"),
        new("probability", "double", "predicted-empty: P(count reaches 0 within the horizon)"),
        new("ratePerHour", "double", "predicted-empty: picks per hour the estimate used"),
        new("horizonMinutes", "int", "predicted-empty: the horizon of the probability"),
        new("received", "timestamp", "When the message reached the Kinesis stream (UTC)"),
    ];
}
