namespace ShelfAgent.LocalLake.Lake;

/// <summary>
/// The local lake's tables, with the columns of the Glue tables (Cloud/Lake/ReadingColumns, ActivityColumns,
/// ForecastColumns, Sources/SourceColumns) as DuckDB types. Raw tables are Parquet under <c>raw/&lt;table&gt;/dt=…/</c>
/// (the arrival day, as Firehose writes them); curated tables are DuckDB tables, the local stand-in for Iceberg.
/// </summary>
public static class LakeTables
{
    /// <summary>One table: its raw folder and columns (name, DuckDB type), <c>dt</c> excluded.</summary>
    public sealed record Table(string Name, string Folder, IReadOnlyList<(string Name, string Type)> Columns);

    /// <summary>Readings: one row per reading of a telemetry batch.</summary>
    public static Table Readings { get; } = new("readings", "readings",
    [
        ("schema", "VARCHAR"), ("thing", "VARCHAR"), ("store", "VARCHAR"), ("sent", "TIMESTAMP"), ("received", "TIMESTAMP"),
        ("dropped", "MAP(VARCHAR, INTEGER)"), ("seq", "BIGINT"), ("ts", "TIMESTAMP"), ("slot", "VARCHAR"), ("sku", "VARCHAR"),
        ("grams", "DOUBLE"), ("count", "INTEGER"), ("status", "VARCHAR"), ("reason", "VARCHAR"), ("timeUntrusted", "BOOLEAN"),
    ]);

    /// <summary>Events and alerts: one row per message.</summary>
    public static Table Events { get; } = new("events", "events",
    [
        ("schema", "VARCHAR"), ("thing", "VARCHAR"), ("store", "VARCHAR"), ("ts", "TIMESTAMP"), ("slot", "VARCHAR"), ("sku", "VARCHAR"),
        ("type", "VARCHAR"), ("delta", "INTEGER"), ("count", "INTEGER"), ("reason", "VARCHAR"), ("expectedEmpty", "TIMESTAMP"),
        ("probability", "DOUBLE"), ("ratePerHour", "DOUBLE"), ("horizonMinutes", "INTEGER"), ("received", "TIMESTAMP"),
    ]);

    /// <summary>Forecasts: one row per slot of a forecast message.</summary>
    public static Table Forecasts { get; } = new("forecasts", "forecasts",
    [
        ("schema", "VARCHAR"), ("thing", "VARCHAR"), ("store", "VARCHAR"), ("ts", "TIMESTAMP"), ("horizonMinutes", "INTEGER"),
        ("slot", "VARCHAR"), ("sku", "VARCHAR"), ("count", "INTEGER"), ("ratePerHour", "DOUBLE"), ("expectedEmpty", "TIMESTAMP"),
        ("probEmpty", "DOUBLE"), ("profile", "VARCHAR"), ("received", "TIMESTAMP"), ("nextRefill", "TIMESTAMP"),
    ]);

    /// <summary>POS sales as DMS writes them (curated_sales drops <c>op</c>).</summary>
    public static Table Sales { get; } = new("sales", "sales",
    [
        ("op", "VARCHAR"), ("cdc_ts", "TIMESTAMP"), ("sale_id", "BIGINT"), ("store_id", "VARCHAR"), ("sku", "VARCHAR"),
        ("quantity", "INTEGER"), ("unit_price", "DOUBLE"), ("sold_at", "TIMESTAMP"),
    ]);

    /// <summary>All four.</summary>
    public static IReadOnlyList<Table> All { get; } = [Readings, Events, Forecasts, Sales];

    /// <summary><c>"a" TYPE, "b" TYPE, …</c> for a CREATE TABLE.</summary>
    public static string Ddl(Table table) => string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\" {c.Type}"));

    /// <summary><c>"a", "b", …</c>.</summary>
    public static string Names(Table table, string prefix = "") => string.Join(", ", table.Columns.Select(c => $"{prefix}\"{c.Name}\""));

    /// <summary>The read_json column map <c>{'a': 'TYPE', …}</c>.</summary>
    public static string JsonColumns(Table table) => "{" + string.Join(", ", table.Columns.Select(c => $"'{c.Name}': '{c.Type}'")) + "}";
}
