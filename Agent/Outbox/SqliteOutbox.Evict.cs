using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ShelfAgent.Outbox;

/// <summary>The size limit, and eviction of the oldest telemetry when it is reached (never events or alerts).</summary>
public sealed partial class SqliteOutbox
{
    /// <summary>
    /// Deletes up to <paramref name="want"/> of the oldest readings that are not in flight (a reading in flight
    /// may still be delivered; counting it as dropped too would double-report it), adds them to the per-slot
    /// dropped counts and the evicted total, in one transaction. Caller holds the gate. Returns how many.
    /// On a full disk (<paramref name="diskFull"/>) the episode's counts go in the same transaction and the log
    /// gets one line a minute instead of one per eviction.
    /// </summary>
    private long EvictOldest(long want, string cause, bool diskFull)
    {
        var seqs = new List<long>();
        var perSlot = new Dictionary<string, long>(StringComparer.Ordinal);
        ScanLeasable("SELECT seq, slot FROM reading WHERE seq >= $from ORDER BY seq LIMIT $n;", 0,
            (int)Math.Min(want, int.MaxValue), r =>
            {
                seqs.Add(r.GetInt64(0));
                SlotCounts.Bump(perSlot, r.GetString(1), 1);
            });
        if (seqs.Count == 0)
        {
            return 0;
        }

        long deleted = 0;
        DiskFullEpisode? episode;
        using (UnsyncedDeletes())
        using (var tx = _db.BeginTransaction())
        {
            using var delete = Command(tx, "DELETE FROM reading WHERE seq BETWEEN $lo AND $hi;");
            var lo = delete.Parameters.Add("$lo", SqliteType.Integer);
            var hi = delete.Parameters.Add("$hi", SqliteType.Integer);
            foreach (var run in InFlightSet.Runs(seqs))
            {
                (lo.Value, hi.Value) = (run.Lo, run.Hi);
                deleted += delete.ExecuteNonQuery();
            }

            AddDropped(tx, perSlot);
            Execute(tx, $"INSERT INTO meta(key, value) VALUES('evicted_total', {deleted}) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value;");
            episode = diskFull ? RecordDiskFullEviction(tx, deleted) : null;
            tx.Commit();
        }

        lock (_state)
        {
            _readingRows -= deleted;
            foreach (var (slot, n) in perSlot)
            {
                SlotCounts.Bump(_droppedStored, slot, n);
            }
        }

        if (episode is not null)
        {
            AfterDiskFullEviction(episode, deleted);
            Checkpoint();
            return deleted;
        }

        OutboxLog.Evicted(_log, deleted, cause, string.Join(", ",
            perSlot.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}"))));
        return deleted;
    }

    // Eviction itself needs room in the WAL: on a disk that is truly full it fails until the reserve is released.
    private long TryEvictOldest(long want, bool diskFull)
    {
        var cause = diskFull ? "disk full" : "buffer full";
        try
        {
            return EvictOldest(want, cause, diskFull);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == OutboxFile.SqliteFull && ReleaseReserve())
        {
            return TryEvictOldest(want, diskFull: true);
        }
        catch (SqliteException e)
        {
            if (!CountedAsDiskFull(e))
            {
                OutboxLog.CommitFailed(_log, e, 0, 0);
            }

            return 0;
        }
    }

    /// <summary>
    /// Re-derives PRAGMA max_page_count from Buffer:MaxBytes and the file system's free space (at most once a
    /// second unless forced). Returns true when the limit went up.
    /// </summary>
    private bool RefreshPageLimit(bool force)
    {
        if (!force && _lastLimitCheck != 0 && Stopwatch.GetElapsedTime(_lastLimitCheck) < TimeSpan.FromSeconds(1))
        {
            return false;
        }

        _lastLimitCheck = Stopwatch.GetTimestamp();
        CheckDiskRecovered();
        var limit = PageLimitForTests ?? OutboxFile.MaxPageCount(_db, _path, _options.MaxBytes);
        if (limit == _pageLimit)
        {
            return false;
        }

        OutboxFile.Execute(_db, $"PRAGMA max_page_count={limit};");
        var raised = limit > _pageLimit;
        var pageSize = OutboxFile.ToLong(OutboxFile.Scalar(_db, "PRAGMA page_size;"));
        var capped = limit < _options.MaxBytes / pageSize;
        if (capped != _limitCappedByDisk)
        {
            _limitCappedByDisk = capped;
            OutboxLog.DiskLimit(_log, _options.MaxBytes, OutboxFile.FreeBytes(_path) ?? -1, limit * pageSize, capped);
        }

        _pageLimit = limit;
        return raised;
    }

    /// <summary>
    /// Deletes (acknowledgements, evictions) commit without their own fsync under synchronous=FULL. Losing one in
    /// a power cut only brings readings back to be sent again (at least once) or re-counted for eviction, and the
    /// WAL is a sequential log: the next append's synced commit makes every earlier delete durable too. This keeps
    /// a draining backlog (up to 100 acknowledgements per second at AWS IoT's limit) from costing 100 fsyncs per
    /// second on an SD card (docs/buffer.md, "Durability").
    /// </summary>
    private UnsyncedScope UnsyncedDeletes() => new(_options.Synchronous == OutboxSynchronous.Full ? _db : null);

    private sealed class UnsyncedScope : IDisposable
    {
        private readonly SqliteConnection? _db;

        public UnsyncedScope(SqliteConnection? db)
        {
            _db = db;
            if (_db is not null)
            {
                OutboxFile.Execute(_db, "PRAGMA synchronous=NORMAL;");
            }
        }

        public void Dispose()
        {
            if (_db is not null)
            {
                OutboxFile.Execute(_db, "PRAGMA synchronous=FULL;");
            }
        }
    }
}
