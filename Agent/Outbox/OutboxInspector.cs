using System.Collections.ObjectModel;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>
/// Read-only access to a buffer file for the field commands (<c>shelf-agent buffer stats|export</c>). Uses its
/// own read-only connection: in WAL mode it reads a consistent snapshot while the agent keeps writing.
/// </summary>
internal static class OutboxInspector
{
    public static Task<OutboxStats> ReadStatsAsync(string path, TimeProvider time, int liveWindowSeconds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        var full = FullPathOfExisting(path);
        return Task.Run(() =>
        {
            using var db = OpenReadOnly(full);
            using var tx = db.BeginTransaction(deferred: true); // one snapshot for all counts
            var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - liveWindowSeconds * 1000L;
            var events = Long(db, tx, "SELECT count(*) FROM event;");
            var total = Long(db, tx, "SELECT count(*) FROM reading;");
            var live = Long(db, tx, $"SELECT count(*) FROM reading WHERE ts >= {cutoff};");
            var oldest = Scalar(db, tx, "SELECT min(ts) FROM reading;");
            var evicted = Long(db, tx, "SELECT value FROM meta WHERE key = 'evicted_total';");
            var next = Long(db, tx, "SELECT value FROM meta WHERE key = 'next_seq';");
            var diskFull = DiskFullEpisode.FromMeta(
                Long(db, tx, "SELECT value FROM meta WHERE key = 'disk_full_since';"),
                Long(db, tx, "SELECT value FROM meta WHERE key = 'disk_full_evicted';"),
                Long(db, tx, "SELECT value FROM meta WHERE key = 'disk_full_until';"));
            var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var cmd = db.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = "SELECT slot, n FROM dropped WHERE n > 0 ORDER BY slot;";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    dropped[r.GetString(0)] = r.GetInt64(1);
                }
            }

            SeqHighWaterMark.TryRead(full + SeqHighWaterMark.Suffix, out _, out var recovered);
            TimeSpan? age = oldest is long ms
                ? time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : null;
            return new OutboxStats(full, events, live, total - live, age, FileBytes(full), evicted,
                new ReadOnlyDictionary<string, long>(dropped), recovered, next, diskFull);
        }, ct);
    }

    /// <summary>The buffer's schema (<c>PRAGMA user_version</c>) and reading count, read without checking the schema.</summary>
    public static (long Schema, long Readings) SchemaAndReadings(string path)
    {
        using var db = OpenReadOnly(FullPathOfExisting(path));
        using var tx = db.BeginTransaction(deferred: true);
        var schema = Long(db, tx, "PRAGMA user_version;");
        // A newer schema may have renamed the table: the count is then unknown (-1), never a reason to fail.
        var hasReadings = Long(db, tx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'reading';") > 0;
        return (schema, hasReadings ? Long(db, tx, "SELECT count(*) FROM reading;") : -1);
    }

    public static async IAsyncEnumerable<StoredReading> ExportReadingsAsync(string path, DateTimeOffset since,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var full = FullPathOfExisting(path);
        await using var db = OpenReadOnly(full);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT {OutboxRows.ReadingColumnsOf(OutboxFile.HasSummaryColumns(db))} FROM reading WHERE ts >= $since ORDER BY seq;";
        cmd.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return OutboxRows.Reading(r);
        }
    }

    public static async IAsyncEnumerable<Reading> ExportRawAsync(string path, IReadOnlyCollection<string> slots, DateTimeOffset from,
        DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var full = FullPathOfExisting(path);
        await using var db = OpenReadOnly(full);
        if (!OutboxFile.HasRawTable(db))
        {
            yield break;
        }

        await using var cmd = db.CreateCommand();
        // Slots are few (one shelf): filtered here rather than with a parameter list.
        cmd.CommandText = $"SELECT {OutboxRows.RawColumns} FROM raw WHERE ts >= $from AND ts < $to ORDER BY ts, rowid;";
        cmd.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var wanted = slots.Count == 0 ? null : new HashSet<string>(slots, StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var reading = OutboxRows.Raw(r);
            if (wanted is null || wanted.Contains(reading.Slot))
            {
                yield return reading;
            }
        }
    }

    public static async IAsyncEnumerable<StoredEvent> ExportEventsAsync(string path, DateTimeOffset since,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var full = FullPathOfExisting(path);
        await using var db = OpenReadOnly(full);
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA user_version;";
        var version = OutboxFile.ToLong(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false));
        cmd.CommandText = $"SELECT {OutboxRows.EventColumnsOf(version)} FROM event WHERE ts >= $since ORDER BY id;";
        cmd.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return OutboxRows.Event(r);
        }
    }

    /// <summary>The database file plus its -wal, in bytes.</summary>
    public static long FileBytes(string path)
    {
        var main = new FileInfo(path);
        var wal = new FileInfo(path + "-wal");
        return (main.Exists ? main.Length : 0) + (wal.Exists ? wal.Length : 0);
    }

    private static string FullPathOfExisting(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"No buffer file at {full} (check Buffer:Path).", full);
        }

        return full;
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var db = new SqliteConnection(OutboxFile.ConnectionString(path, readOnly: true));
        try
        {
            db.Open();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private static object? Scalar(SqliteConnection db, SqliteTransaction tx, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static long Long(SqliteConnection db, SqliteTransaction tx, string sql) => OutboxFile.ToLong(Scalar(db, tx, sql));
}
