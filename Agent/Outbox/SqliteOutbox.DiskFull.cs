using Microsoft.Data.Sqlite;

namespace ShelfAgent.Outbox;

/// <summary>
/// A file system that fills for another reason (docs/buffer.md, "A full disk"): the reserve file is released so the
/// delete that evicts the oldest readings has room in the WAL, the episode is kept in the file (status, shadow and
/// doctor say "disk full: N readings evicted since …"), and the log gets one line a minute with counts.
/// </summary>
public sealed partial class SqliteOutbox
{
    // Below this much free space a SQLITE_FULL is the disk's (something else filled it), not Buffer:MaxBytes'.
    private const long DiskFullBelowBytes = 1024 * 1024;

    private static readonly TimeSpan DiskFullLogEvery = TimeSpan.FromMinutes(1);

    private DiskFullTally? _tally;
    private DiskFullEpisode? _episode;
    private bool _reserveReleased;

    private DiskFullTally Tally => _tally ??= new DiskFullTally(_time, DiskFullLogEvery);

    /// <summary>The last full-disk episode recorded in this file (null when the disk never ran full).</summary>
    public DiskFullEpisode? DiskFull
    {
        get
        {
            lock (_state)
            {
                return _episode;
            }
        }
    }

    /// <summary>Test hook: the reserve beside the buffer.</summary>
    internal OutboxReserve Reserve => _reserve;

    // The disk, not the cap, is what is full: little free space, or the reserve already had to go.
    private bool DiskIsFull() => _reserveReleased || OutboxFile.FreeBytes(_path) is { } free && free < DiskFullBelowBytes;

    // Called with SQLITE_FULL in hand and the gate held. Returns true when the reserve was released (worth a retry).
    private bool ReleaseReserve()
    {
        if (_reserveReleased)
        {
            return false;
        }

        var freed = _reserve.Release();
        _reserveReleased = true;
        if (freed == 0)
        {
            return false;
        }

        OutboxLog.ReserveReleased(_log, freed, _reserve.Path);
        Checkpoint();
        return true;
    }

    // A complete checkpoint lets the next commit write the WAL from its start again, in blocks it already has,
    // instead of growing it on a disk with no room.
    private void Checkpoint()
    {
        try
        {
            OutboxFile.Execute(_db, "PRAGMA wal_checkpoint(PASSIVE);");
        }
        catch (SqliteException)
        {
            // Best effort: a checkpoint that cannot extend the file now completes later, once there is room.
        }
    }

    // Inside the eviction's transaction: the episode's counts go to disk with the delete that caused them.
    private DiskFullEpisode RecordDiskFullEviction(SqliteTransaction tx, long evicted)
    {
        var now = _time.GetUtcNow();
        DiskFullEpisode? current;
        lock (_state)
        {
            current = _episode;
        }

        var next = current is { Ongoing: true }
            ? current with { Evicted = current.Evicted + evicted }
            : new DiskFullEpisode(now, evicted, null);
        Execute(tx, $"""
            INSERT INTO meta(key, value) VALUES('disk_full_since', {next.Since.ToUnixTimeMilliseconds()}),
                ('disk_full_evicted', {next.Evicted}), ('disk_full_until', 0)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value;
            """);
        return next;
    }

    // After a disk-full eviction commits: the episode in memory, and the minute's log line when due.
    private void AfterDiskFullEviction(DiskFullEpisode episode, long evicted)
    {
        lock (_state)
        {
            _episode = episode;
        }

        TallyDiskFull(evicted, 0, 0);
    }

    private void TallyDiskFull(long evicted, long unsaved, long failed)
    {
        var tally = Tally;
        if (!tally.Add(evicted, unsaved, failed))
        {
            return;
        }

        OutboxLog.DiskFull(_log, OutboxFile.FreeBytes(_path) ?? -1, _path, tally.Seconds, tally.Evicted, tally.Unsaved, tally.Failed,
            DiskFull?.Describe() ?? "nothing evicted yet");
        tally.Reset();
    }

    // A commit failure that is only the disk being full is counted, not logged with its stack trace each time.
    private bool CountedAsDiskFull(Exception e)
    {
        if (e is not (SqliteException or IOException or OutboxFullException) || !DiskIsFull())
        {
            return false;
        }

        TallyDiskFull(0, 0, 1);
        return true;
    }

    // A failed commit: on a full disk counted (the caller gets an OutboxFullException and logs nothing more), otherwise
    // logged with its cause. Returns what the callers are handed.
    private Exception DiskFullError(Exception e, long readings, int events)
    {
        if (!CountedAsDiskFull(e))
        {
            OutboxLog.CommitFailed(_log, e, readings, events);
            return e;
        }

        return e as OutboxFullException ?? new OutboxFullException($"The disk holding {_path} is full.", e);
    }

    // Once a second with the page limit: when the disk has room again, the reserve is written back and the episode ends.
    private void CheckDiskRecovered()
    {
        var ongoing = DiskFull is { Ongoing: true };
        if (!ongoing && !_reserveReleased)
        {
            return;
        }

        if (OutboxFile.FreeBytes(_path) is not { } free || free < _reserve.Bytes + OutboxFile.FileSystemReserveBytes)
        {
            return;
        }

        var held = _reserve.TryCreate();
        _reserveReleased = !held;
        if (ongoing)
        {
            var until = _time.GetUtcNow();
            try
            {
                OutboxFile.Execute(_db, $"UPDATE meta SET value = {until.ToUnixTimeMilliseconds()} WHERE key = 'disk_full_until';");
            }
            catch (SqliteException)
            {
                return; // still no room for even this: try again at the next look
            }

            lock (_state)
            {
                _episode = _episode! with { Until = until };
            }
        }

        if (Tally.HasCounts)
        {
            OutboxLog.DiskFull(_log, free, _path, Tally.Seconds, Tally.Evicted, Tally.Unsaved, Tally.Failed, DiskFull?.Describe() ?? "");
        }

        Tally.End();
        OutboxLog.DiskRecovered(_log, OutboxFile.FreeBytes(_path) ?? -1, _reserve.Path, held, DiskFull?.Describe() ?? "nothing was evicted");
    }

    private static DiskFullEpisode? ReadEpisode(SqliteConnection db)
    {
        long Meta(string key) => OutboxFile.ToLong(OutboxFile.Scalar(db, $"SELECT value FROM meta WHERE key='{key}';"));
        return DiskFullEpisode.FromMeta(Meta("disk_full_since"), Meta("disk_full_evicted"), Meta("disk_full_until"));
    }
}
