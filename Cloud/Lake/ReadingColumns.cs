namespace ShelfAgent.Cloud.Lake;

/// <summary>A Glue/Hive column: name, Hive type, comment.</summary>
public sealed record GlueColumn(string Name, string Type, string Comment);

/// <summary>
/// The row schema of a shelf reading in the lake: one row per element of a shelf.telemetry.v1 batch's
/// readings[], with the batch's fields repeated (docs/data-contract.schema.json; Cloud.Tests checks the two
/// agree). Names are the contract's; queries write "count" quoted to keep the column apart from count().
/// </summary>
public static class ReadingColumns
{
    /// <summary>
    /// The partition key of every raw table: the arrival day, projected (Athena partition projection, no
    /// MSCK REPAIR). Store is a column, not a partition: projecting a store partition would need every query to
    /// name its stores (the "injected" type), which curation across the fleet cannot.
    /// </summary>
    public static GlueColumn ArrivalDay { get; } = new("dt", "string", "UTC arrival date yyyy-MM-dd (partition, projected)");

    /// <summary>The last column of every curated (Iceberg) table: the UTC day of the row's own timestamp.</summary>
    public static GlueColumn RowDay { get; } = new("dt", "string", "UTC date yyyy-MM-dd of ts (the reading, event or forecast day)");

    /// <summary>The store column every table carries, right after thing.</summary>
    public static GlueColumn Store { get; } = new("store", "string", "Store id, from the MQTT topic (= the thing's storeId attribute)");

    /// <summary>Data columns, in Parquet order.</summary>
    public static IReadOnlyList<GlueColumn> Columns { get; } =
    [
        new("schema", "string", "Payload schema id, e.g. shelf.telemetry.v1"),
        new("thing", "string", "Thing name (= MQTT client id)"),
        Store,
        new("sent", "timestamp", "When the device sent the batch (UTC)"),
        new("received", "timestamp", "When the batch reached the Kinesis stream (UTC)"),
        new("dropped", "map<string,int>", "Per-slot readings evicted from the device buffer; first row of a batch only"),
        new("seq", "bigint", "Per-device sequence number; restarts at 1 after a buffer wipe, so (thing, seq, ts) identifies a reading"),
        new("ts", "timestamp", "When the reading was taken (UTC)"),
        new("slot", "string", "Slot id on the shelf"),
        new("sku", "string", "Product in the slot"),
        new("grams", "double", "Grams on the slot's calibrated sensor, tray included (items weigh grams - TareGrams); null when status is fault"),
        new("count", "int", "Items on the slot; null when status is fault"),
        new("status", "string", "ok | low | empty | fault"),
        new("reason", "string", "Fault reason; null unless status is fault"),
        new("timeUntrusted", "boolean", "True when the device's clock was not trusted at the sample (behind its time floor): ts may be far off"),
    ];
}
