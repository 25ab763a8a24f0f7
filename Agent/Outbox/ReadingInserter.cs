using System.Text;
using Microsoft.Data.Sqlite;
using ShelfAgent.Stock;
using SQLitePCL;

namespace ShelfAgent.Outbox;

/// <summary>
/// The hot path of ingest: one prepared INSERT, bound by index through SQLitePCLRaw (the library under
/// Microsoft.Data.Sqlite), with slot and sku encoded to UTF-8 once per distinct string. ADO.NET's per-execution
/// parameter lookup by name and UTF-16 to UTF-8 conversions cost several times the insert itself
/// (docs/benchmarks.md, "Outbox"). Runs inside the caller's transaction on the same connection.
/// </summary>
internal sealed class ReadingInserter : IDisposable
{
    private const int MaxCachedStrings = 4096;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insert;
    private readonly Dictionary<string, byte[]> _utf8 = new(StringComparer.Ordinal);

    public ReadingInserter(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The outbox connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db,
            "INSERT INTO reading(seq, ts, slot, sku, grams, count, status, reason, n, gmin, gmax, faults) " +
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12);",
            out _insert);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>Inserts one reading; throws <see cref="SqliteException"/> (e.g. SQLITE_FULL) like ADO.NET would.</summary>
    public void Insert(long seq, Reading reading)
    {
        raw.sqlite3_bind_int64(_insert, 1, seq);
        raw.sqlite3_bind_int64(_insert, 2, reading.Timestamp.ToUnixTimeMilliseconds());
        raw.sqlite3_bind_text(_insert, 3, Utf8(reading.Slot));
        raw.sqlite3_bind_text(_insert, 4, Utf8(reading.Sku));
        if (reading.Grams is { } grams)
        {
            raw.sqlite3_bind_double(_insert, 5, grams);
        }
        else
        {
            raw.sqlite3_bind_null(_insert, 5);
        }

        if (reading.Count is { } count)
        {
            raw.sqlite3_bind_int64(_insert, 6, count);
        }
        else
        {
            raw.sqlite3_bind_null(_insert, 6);
        }

        raw.sqlite3_bind_int64(_insert, 7, (int)reading.Status | (reading.TimeUntrusted ? OutboxRows.TimeUntrustedBit : 0));
        if (reading.Reason is { } reason)
        {
            raw.sqlite3_bind_text(_insert, 8, reason);
        }
        else
        {
            raw.sqlite3_bind_null(_insert, 8);
        }

        var summary = reading.Summary;
        BindOptional(9, summary?.Samples);
        BindOptional(10, summary?.GramsMin);
        BindOptional(11, summary?.GramsMax);
        BindOptional(12, summary?.Faults);
        try
        {
            var rc = raw.sqlite3_step(_insert);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }
        }
        finally
        {
            raw.sqlite3_reset(_insert);
        }
    }

    public void Dispose() => _insert.Dispose();

    private void BindOptional(int index, double? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_double(_insert, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(_insert, index);
        }
    }

    private void BindOptional(int index, int? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int64(_insert, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(_insert, index);
        }
    }

    private byte[] Utf8(string text)
    {
        if (!_utf8.TryGetValue(text, out var bytes))
        {
            if (_utf8.Count >= MaxCachedStrings)
            {
                _utf8.Clear();
            }

            bytes = Encoding.UTF8.GetBytes(text);
            _utf8[text] = bytes;
        }

        return bytes;
    }
}
