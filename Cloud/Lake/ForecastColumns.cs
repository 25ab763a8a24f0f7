namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The row schema of forecasts in the lake: one row per slot of a shelf.forecast.v1 message (CONTRACT-13,
/// docs/forecast.schema.json), the message's fields repeated on each row.
/// </summary>
public static class ForecastColumns
{
    /// <summary>Data columns, in Parquet order (partition key dt = arrival day in raw).</summary>
    public static IReadOnlyList<GlueColumn> Columns { get; } =
    [
        new("schema", "string", "shelf.forecast.v1"),
        new("thing", "string", "Thing name (= MQTT client id), from the topic"),
        ReadingColumns.Store,
        new("ts", "timestamp", "When the device made the forecast (UTC)"),
        new("horizonMinutes", "int", "Horizon of probEmpty"),
        new("slot", "string", "Slot id on the shelf"),
        new("sku", "string", "Product in the slot"),
        new("count", "int", "Settled count; null on a sensor fault"),
        new("ratePerHour", "double", "Picks per hour the forecast used now"),
        new("expectedEmpty", "timestamp", "Expected stock-out time (UTC); null when none is expected within 7 days"),
        new("probEmpty", "double", "P(count reaches 0 within the horizon)"),
        new("profile", "string", "cloud | device | none: which demand shape fed the estimate"),
        new("received", "timestamp", "When the message reached the Kinesis stream (UTC)"),
        // Added by issue 20 (last, so older files and tables keep their column order).
        new("nextRefill", "timestamp", "Next refill the slot expects from its learned rhythm (UTC); null while none is known"),
    ];
}
