namespace ShelfAgent.LocalLake.Lake;

/// <summary>
/// The Trino functions the Cloud's SQL uses that DuckDB lacks, as DuckDB macros with Trino's meaning (Trino docs,
/// "Date and time functions" and "Array functions"), so the same SQL text runs in both engines. Each is checked
/// against Trino's documented values in LocalLake.Tests (<c>DuckDbPreludeTests</c>).
/// </summary>
public static class DuckDbPrelude
{
    /// <summary>The macros, one statement each.</summary>
    public static IReadOnlyList<string> Statements { get; } =
    [
        // Trino: day_of_week(x) → ISO day of the week, Monday = 1 … Sunday = 7. DuckDB: isodow, same numbering.
        "CREATE OR REPLACE MACRO day_of_week(x) AS isodow(x)",
        // Trino: sequence(start, stop) → array from start to stop inclusive. DuckDB: range excludes stop.
        "CREATE OR REPLACE MACRO sequence(a, b) AS range(a, b + 1)",
        // Trino: date_format(timestamp, format) with MySQL specifiers; the Cloud's SQL uses %Y-%m-%d only, which
        // strftime reads alike.
        "CREATE OR REPLACE MACRO date_format(x, f) AS strftime(x, f)",
    ];
}
