using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;

namespace ShelfAgent.LocalLake.Lake;

/// <summary>
/// The local lake (docs/models.md): a folder with raw Parquet under <c>raw/&lt;table&gt;/dt=yyyy-MM-dd/</c> (as Firehose
/// and DMS fill the S3 raw bucket) and <c>lake.duckdb</c> holding the curated tables (the Iceberg stand-in). Opening it
/// defines the Trino macros (<see cref="DuckDbPrelude"/>), a view <c>raw_&lt;table&gt;</c> over each raw folder and the
/// curated tables, so the Cloud's SQL runs on it by the same table names.
/// </summary>
public sealed class LocalLakeStore : IDisposable
{
    private readonly DuckDBConnection _connection;

    private LocalLakeStore(string directory, DuckDBConnection connection)
    {
        Directory = directory;
        _connection = connection;
    }

    /// <summary>The lake's folder.</summary>
    public string Directory { get; }

    /// <summary>Opens (or creates) the lake in <paramref name="directory"/>.</summary>
    public static LocalLakeStore Open(string directory) => Open(directory, inMemory: false);

    /// <summary>
    /// Opens the lake to append raw rows only (<c>listen</c>): the Parquet folders are shared, but the DuckDB database is
    /// an in-memory one, so a long-running writer does not hold <c>lake.duckdb</c> (DuckDB lets one process write a
    /// database file) and <c>curate</c>, <c>query</c> and <c>watch</c> run beside it. Its curated tables are empty.
    /// </summary>
    public static LocalLakeStore OpenForAppend(string directory) => Open(directory, inMemory: true);

    private static LocalLakeStore Open(string directory, bool inMemory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        var connection = new DuckDBConnection(inMemory ? "DataSource=:memory:" : $"DataSource={Path.Combine(full, "lake.duckdb")}");
        connection.Open();
        var lake = new LocalLakeStore(full, connection);
        try
        {
            foreach (var statement in DuckDbPrelude.Statements)
            {
                lake.Execute(statement);
            }

            foreach (var table in LakeTables.All)
            {
                lake.RefreshRawView(table);
            }

            foreach (var table in new[] { LakeTables.Readings, LakeTables.Events, LakeTables.Forecasts })
            {
                lake.Execute($"CREATE TABLE IF NOT EXISTS curated_{table.Name} ({LakeTables.Ddl(table)}, dt VARCHAR)");
            }

            // curated_sales: the latest state of each sale (Cloud's SourceColumns.CuratedSales: the DMS columns without op).
            var curatedSales = LakeTables.Sales with { Columns = LakeTables.Sales.Columns.Skip(1).ToList() };
            lake.Execute($"CREATE TABLE IF NOT EXISTS curated_sales ({LakeTables.Ddl(curatedSales)})");
            return lake;
        }
        catch
        {
            lake.Dispose();
            throw;
        }
    }

    /// <summary>The raw folder of <paramref name="table"/>.</summary>
    public string RawFolder(LakeTables.Table table) => Path.Combine(Directory, "raw", table.Folder);

    /// <summary>Runs a statement; returns the rows changed.</summary>
    public int Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    /// <summary>Runs a query and returns its column names and rows (values as DuckDB.NET gives them; DBNull as null).</summary>
    public QueryResult Query(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add(Row(reader));
        }

        return new QueryResult(columns, rows);
    }

    /// <summary>
    /// Appends JSON lines of <paramref name="table"/>'s columns (what the Firehose transforms write) to its raw folder,
    /// partitioned by <paramref name="dayColumn"/>'s UTC day, and refreshes the raw view. Returns the rows written.
    /// </summary>
    public long AppendRawJson(LakeTables.Table table, string jsonLinesPath, string dayColumn)
    {
        ArgumentNullException.ThrowIfNull(table);
        var select = $"SELECT {LakeTables.Names(table)}, strftime(\"{dayColumn}\", '%Y-%m-%d') AS dt " +
                     $"FROM read_json({Literal(jsonLinesPath)}, format = 'newline_delimited', columns = {LakeTables.JsonColumns(table)})";
        return AppendRaw(table, select);
    }

    /// <summary>Appends the rows of <paramref name="select"/> (the table's columns, then dt) to the raw folder.</summary>
    public long AppendRaw(LakeTables.Table table, string select)
    {
        ArgumentNullException.ThrowIfNull(table);
        var folder = RawFolder(table);
        System.IO.Directory.CreateDirectory(folder);
        var count = (long)QueryResult.Number(Query($"SELECT count(*) FROM ({select})").Rows[0][0]);
        if (count > 0)
        {
            // Written beside the lake, then moved in file by file (a rename within one file system): a reader of the raw
            // folder (curate while listen runs) sees whole Parquet files or none, never one half written.
            var staging = Path.Combine(Directory, "staging", "copy-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(staging);
            try
            {
                Execute($"COPY ({select}) TO {Literal(staging)} (FORMAT parquet, PARTITION_BY (dt), APPEND, FILENAME_PATTERN 'part-{{uuid}}')");
                foreach (var file in System.IO.Directory.EnumerateFiles(staging, "*.parquet", SearchOption.AllDirectories).ToList())
                {
                    var target = Path.Combine(folder, Path.GetRelativePath(staging, file));
                    System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Move(file, target);
                }
            }
            finally
            {
                System.IO.Directory.Delete(staging, recursive: true);
            }

            RefreshRawView(table);
        }

        return count;
    }

    /// <summary>A SQL string literal.</summary>
    public static string Literal(string text) =>
        "'" + (text ?? throw new ArgumentNullException(nameof(text))).Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();

    private void RefreshRawView(LakeTables.Table table)
    {
        var folder = RawFolder(table);
        var hasFiles = System.IO.Directory.Exists(folder)
            && System.IO.Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any();
        var body = hasFiles
            ? $"SELECT {LakeTables.Names(table)}, dt FROM read_parquet({Literal(Path.Combine(folder, "*", "*.parquet"))}, " +
              "hive_partitioning = true, hive_types = {'dt': VARCHAR}, union_by_name = true)"
            : $"SELECT {string.Join(", ", table.Columns.Select(c => $"CAST(NULL AS {c.Type}) AS \"{c.Name}\""))}, CAST(NULL AS VARCHAR) AS dt WHERE false";
        Execute($"CREATE OR REPLACE VIEW raw_{table.Name} AS {body}");
    }

    private static object?[] Row(DbDataReader reader)
    {
        var values = new object?[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return values;
    }
}

/// <summary>A query's columns and rows.</summary>
public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>A numeric value as a double (DuckDB's sum of BIGINT is a HUGEINT, which .NET gives as BigInteger); null as 0.</summary>
    public static double Number(object? value) => value switch
    {
        null => 0,
        System.Numerics.BigInteger b => (double)b,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };
}
