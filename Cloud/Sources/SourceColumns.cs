using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.Cloud.Sources;

/// <summary>
/// The schemas of the transactional sources in the lake (Cloud/README.md "Transactional sources" documents
/// what the source tables must hold).
/// </summary>
public static class SourceColumns
{
    /// <summary>
    /// Sales rows as DMS writes them (Parquet): Op (I/U/D; empty in the full load), the change time, then the
    /// source table's columns.
    /// </summary>
    public static IReadOnlyList<GlueColumn> Sales { get; } =
    [
        new("op", "string", "DMS operation: I, U, D (insert, update, delete); I in the full load"),
        new("cdc_ts", "timestamp", "When DMS read the change (UTC)"),
        new("sale_id", "bigint", "Primary key of the sales line"),
        new("store_id", "string", "Store id, the same ids as the devices' storeId attribute"),
        new("sku", "string", "Product, the same codes as the shelves' sku"),
        new("quantity", "int", "Units sold (negative for a return)"),
        new("unit_price", "double", "Price per unit"),
        new("sold_at", "timestamp", "When the sale happened (UTC)"),
    ];

    /// <summary>Curated sales: the latest state of each sale_id, deletes applied.</summary>
    public static IReadOnlyList<GlueColumn> CuratedSales { get; } = Sales.Skip(1).ToList();

    /// <summary>
    /// Purchase-behaviour changes from the DynamoDB stream, as the pipe writes them (JSON lines; DynamoDB
    /// numbers arrive as strings).
    /// </summary>
    public static IReadOnlyList<GlueColumn> Purchases { get; } =
    [
        new("event", "string", "INSERT | MODIFY | REMOVE (DynamoDB stream eventName)"),
        new("purchase_id", "string", "Partition key of the purchases table"),
        new("customer_id", "string", "Loyalty/customer id (pseudonymous)"),
        new("store_id", "string", "Store id"),
        new("sku", "string", "Product"),
        new("quantity", "string", "Units (DynamoDB number as text)"),
        new("purchased_at", "string", "ISO-8601 time of the purchase"),
        new("approximate_s", "bigint", "DynamoDB ApproximateCreationDateTime (epoch seconds)"),
    ];

    /// <summary>Curated purchases: one row per purchase_id, typed.</summary>
    public static IReadOnlyList<GlueColumn> CuratedPurchases { get; } =
    [
        new("purchase_id", "string", "Purchase id"),
        new("customer_id", "string", "Loyalty/customer id (pseudonymous)"),
        new("store_id", "string", "Store id"),
        new("sku", "string", "Product"),
        new("quantity", "int", "Units"),
        new("purchased_at", "timestamp", "When (UTC)"),
    ];
}
