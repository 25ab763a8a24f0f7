using System.Text;
using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// Rows of the raw tables (readings, events, forecasts) held until the next flush, then appended to the lake's Parquet
/// folders partitioned by arrival day, as Firehose buffers a delivery stream and writes one object per buffer. What is
/// held and not yet flushed is what a crash loses.
/// </summary>
public sealed class RawRowBuffer(LocalLakeStore lake)
{
    private static readonly Dictionary<string, LakeTables.Table> Tables = new(StringComparer.Ordinal)
    {
        ["readings"] = LakeTables.Readings,
        ["events"] = LakeTables.Events,
        ["forecasts"] = LakeTables.Forecasts,
    };

    private readonly Dictionary<string, List<string>> _rows = new(StringComparer.Ordinal);

    /// <summary>Rows held.</summary>
    public int Pending => _rows.Values.Sum(r => r.Count);

    /// <summary>Holds one row of <paramref name="table"/> (readings, events or forecasts).</summary>
    /// <exception cref="ArgumentException">Another table.</exception>
    public void Add(string table, string row)
    {
        if (!Tables.ContainsKey(table))
        {
            throw new ArgumentException($"no raw table {table}", nameof(table));
        }

        if (!_rows.TryGetValue(table, out var rows))
        {
            _rows[table] = rows = [];
        }

        rows.Add(row);
    }

    /// <summary>Appends what is held to the raw tables and forgets it; the rows written per table.</summary>
    public IReadOnlyDictionary<string, long> Flush()
    {
        var written = new Dictionary<string, long>(StringComparer.Ordinal);
        var staging = Path.Combine(lake.Directory, "staging");
        Directory.CreateDirectory(staging);
        foreach (var (table, rows) in _rows.Where(p => p.Value.Count > 0))
        {
            var path = Path.Combine(staging, $"listen-{Guid.NewGuid():N}.{table}.jsonl");
            File.WriteAllLines(path, rows, new UTF8Encoding(false));
            try
            {
                written[table] = lake.AppendRawJson(Tables[table], path, "received");
            }
            finally
            {
                File.Delete(path);
            }

            rows.Clear();
        }

        return written;
    }
}
