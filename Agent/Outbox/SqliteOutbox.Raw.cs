using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>
/// Raw grams kept on the device (<see cref="OutboxOptions.RawRetentionDays"/>): samples the agent does not publish when it
/// sends per-minute summaries, committed with the readings, read by the <c>upload-readings</c> job, deleted after the
/// retention and evicted first (oldest first, counted) when the buffer is full.
/// </summary>
public sealed partial class SqliteOutbox
{
    // Retention deletes run at most this often: each is one indexed range delete.
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private SqliteCommand? _insertRaw;
    private long _lastPrune;
    private long _rawEvicted = -1;

    /// <summary>Raw samples evicted from a full buffer since the file was created (<c>meta.raw_evicted_total</c>).</summary>
    public long RawEvicted
    {
        get
        {
            _gate.Wait();
            try
            {
                return RawEvictedTotal();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private void InsertRaw(SqliteTransaction tx, IReadOnlyList<Reading> raw)
    {
        if (_insertRaw is null)
        {
            _insertRaw = _db.CreateCommand();
            _insertRaw.CommandText = "INSERT INTO raw(ts, slot, sku, grams, count, status, reason) VALUES($ts, $slot, $sku, $grams, $count, $status, $reason);";
            foreach (var name in (string[])["$ts", "$slot", "$sku", "$grams", "$count", "$status", "$reason"])
            {
                _insertRaw.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        _insertRaw.Transaction = tx;
        var p = _insertRaw.Parameters;
        foreach (var r in raw)
        {
            p[0].Value = r.Timestamp.ToUnixTimeMilliseconds();
            p[1].Value = r.Slot;
            p[2].Value = r.Sku;
            p[3].Value = r.Grams is { } g ? g : DBNull.Value;
            p[4].Value = r.Count is { } c ? c : DBNull.Value;
            p[5].Value = (int)r.Status | (r.TimeUntrusted ? OutboxRows.TimeUntrustedBit : 0);
            p[6].Value = (object?)r.Reason ?? DBNull.Value;
            _insertRaw.ExecuteNonQuery();
        }
    }

    // Caller holds the gate. Deletes raw samples older than the retention, at most once a minute.
    private void PruneRaw()
    {
        if (_lastPrune != 0 && Stopwatch.GetElapsedTime(_lastPrune) < PruneEvery)
        {
            return;
        }

        _lastPrune = Stopwatch.GetTimestamp();
        var cutoff = _time.GetUtcNow().AddDays(-_options.RawRetentionDays).ToUnixTimeMilliseconds();
        try
        {
            using (UnsyncedDeletes())
            {
                OutboxFile.Execute(_db, $"DELETE FROM raw WHERE ts < {cutoff};");
            }
        }
        catch (SqliteException e)
        {
            // A failed prune costs only room; the next commit's eviction still frees it when the buffer fills.
            OutboxLog.CommitFailed(_log, e, 0, 0);
        }
    }

    // Caller holds the gate, with SQLITE_FULL in hand. Returns how many raw samples were deleted (0: none left).
    private long TryEvictOldestRaw(long want, bool diskFull)
    {
        try
        {
            long deleted;
            using (UnsyncedDeletes())
            using (var tx = _db.BeginTransaction())
            {
                deleted = Execute(tx, $"DELETE FROM raw WHERE rowid IN (SELECT rowid FROM raw ORDER BY rowid LIMIT {want});");
                if (deleted > 0)
                {
                    Execute(tx, $"INSERT INTO meta(key, value) VALUES('raw_evicted_total', {deleted}) " +
                        "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value;");
                }

                tx.Commit();
            }

            if (deleted > 0)
            {
                _rawEvicted = -1;
                OutboxLog.RawEvicted(_log, deleted, diskFull ? "disk full" : "buffer full", RawEvictedTotal());
                if (diskFull)
                {
                    Checkpoint();
                }
            }

            return deleted;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == OutboxFile.SqliteFull && !diskFull && ReleaseReserve())
        {
            return TryEvictOldestRaw(want, diskFull: true);
        }
        catch (SqliteException)
        {
            // Nothing could be deleted this way; the caller evicts readings as before.
            return 0;
        }
    }

    private long RawEvictedTotal()
    {
        if (_rawEvicted < 0)
        {
            _rawEvicted = OutboxFile.ToLong(OutboxFile.Scalar(_db, "SELECT value FROM meta WHERE key = 'raw_evicted_total';"));
        }

        return _rawEvicted;
    }
}
