using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ShelfAgent.Outbox;

/// <summary>The group-commit writer.</summary>
public sealed partial class SqliteOutbox
{
    // Commit at once, without waiting out the window, when this many readings are queued: one fsync per
    // 1,024 readings is already negligible, and waiting longer would cap ingest at (producers × batch) / window.
    private const int CommitNowReadings = 1_024;

    // Most readings in one transaction (bounds the time the gate is held and the WAL growth per commit).
    private const int MaxGroupReadings = 16_384;

    // Attempts of one group on SQLITE_FULL, each evicting twice as much as the one before.
    private const int FullAttempts = 8;

    /// <summary>
    /// One writer drains the queue: at most one transaction (one WAL fsync under synchronous=FULL) per
    /// <see cref="OutboxOptions.CommitWindowMs"/>. An append after a quiet spell commits at once; appends that
    /// arrive while a commit is running or within the window share the next one. When 1,024 readings are
    /// queued the window is cut short.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        var reader = _requests.Reader;
        var window = TimeSpan.FromMilliseconds(_options.CommitWindowMs);
        var group = new List<CommitRequest>();
        long lastCommit = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (lastCommit != 0 && Volatile.Read(ref _pendingReadings) < CommitNowReadings)
            {
                // Real elapsed time, not the injected TimeProvider: this is I/O pacing, not domain time.
                var wait = window - Stopwatch.GetElapsedTime(lastCommit);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait).ConfigureAwait(false);
                }
            }

            group.Clear();
            var count = 0;
            while (count < MaxGroupReadings && reader.TryRead(out var request))
            {
                Interlocked.Add(ref _pendingReadings, -request.Readings.Count);
                if (request.Cancellation.IsCancellationRequested)
                {
                    request.Done.TrySetCanceled(request.Cancellation);
                    continue;
                }

                group.Add(request);
                count += request.Readings.Count;
            }

            if (group.Count == 0)
            {
                continue;
            }

            lastCommit = Stopwatch.GetTimestamp();
            await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                RefreshPageLimit(force: false);
                CommitGroup(group);
                PruneRaw();
            }
            catch (Exception e)
            {
                // The writer must outlive any failure, or every later append would wait forever.
                var error = DiskFullError(e, group.Sum(r => (long)r.Readings.Count), group.Count(r => r.Event is not null));
                foreach (var request in group)
                {
                    request.Done.TrySetException(error);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private void CommitGroup(List<CommitRequest> group)
    {
        var readings = group.Sum(r => (long)r.Readings.Count);
        var events = group.Count(r => r.Event is not null);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                CommitOnce(group, readings);
                Signal();
                return;
            }
            catch (SqliteException e) when (e.SqliteErrorCode == OutboxFile.SqliteFull)
            {
                // Buffer:MaxBytes is enforced as PRAGMA max_page_count, so "at the limit" and "disk full"
                // both arrive here as SQLITE_FULL. Evict the oldest telemetry and try again.
                // The disk may have gained room since the last look: a larger page limit is worth a retry first.
                if (RefreshPageLimit(force: true))
                {
                    continue;
                }

                // Another file filled the disk: first give the WAL the reserve's room, then evict as at the cap.
                var diskFull = DiskIsFull();
                if (diskFull && ReleaseReserve())
                {
                    continue;
                }

                var want = Math.Max(Math.Max(2 * readings, _readingRows / 64), 256) << (attempt - 1);
                // Raw samples kept for upload-readings go first: they were never promised to the cloud, unsent readings were.
                var evicted = attempt < FullAttempts ? TryEvictOldestRaw(want, diskFull) : 0;
                if (evicted == 0 && attempt < FullAttempts)
                {
                    evicted = TryEvictOldest(want, diskFull);
                }

                if (evicted == 0)
                {
                    DropGroup(group, readings, events, e);
                    return;
                }
            }
            catch (Exception e)
            {
                var error = DiskFullError(e, readings, events);
                foreach (var request in group)
                {
                    request.Done.TrySetException(error);
                }

                return;
            }
        }
    }

    private void CommitOnce(List<CommitRequest> group, long readingCount)
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var results = new long[group.Count][];
        long first, next;
        using (var tx = _db.BeginTransaction())
        {
            // Read next_seq inside the write transaction: even a second writer on the same file cannot reuse one.
            next = Math.Max(_nextSeq, OutboxFile.ToLong(Scalar(tx, "SELECT value FROM meta WHERE key='next_seq';")));
            first = next;
            if (readingCount > 0 && _hwm.EnsureReserved(next + readingCount - 1))
            {
                OutboxLog.Reserved(_log, _hwm.Reserved, _path + SeqHighWaterMark.Suffix);
            }

            _inserter ??= new ReadingInserter(_db);
            using var insertEvent = _db.CreateCommand();
            insertEvent.Transaction = tx;
            insertEvent.CommandText = "INSERT INTO event(ts, kind, payload, form) VALUES($ts, $kind, $payload, 0) RETURNING id;";
            var eTs = insertEvent.Parameters.Add("$ts", SqliteType.Integer);
            var eKind = insertEvent.Parameters.Add("$kind", SqliteType.Text);
            var ePayload = insertEvent.Parameters.Add("$payload", SqliteType.Text);

            for (var g = 0; g < group.Count; g++)
            {
                var request = group[g];
                if (request.Raw.Count > 0)
                {
                    InsertRaw(tx, request.Raw);
                }

                if (request.Event is { } ev)
                {
                    eTs.Value = ev.Timestamp.ToUnixTimeMilliseconds();
                    eKind.Value = OutboxEventKinds.Text(ev.Kind);
                    // Stored as data; the contract encodes it when it is published (OutboxEvent).
                    ePayload.Value = StoredMessage.Encode(ev.Message!);
                    results[g] = [OutboxFile.ToLong(insertEvent.ExecuteScalar())];
                    continue;
                }

                var seqs = new long[request.Readings.Count];
                for (var i = 0; i < seqs.Length; i++)
                {
                    _inserter.Insert(next, request.Readings[i]);
                    seqs[i] = next++;
                }

                results[g] = seqs;
            }

            Dictionary<string, long>? unsaved = null;
            lock (_state)
            {
                if (_droppedUnsaved.Count > 0)
                {
                    unsaved = new Dictionary<string, long>(_droppedUnsaved, StringComparer.Ordinal);
                }
            }

            if (unsaved is not null)
            {
                AddDropped(tx, unsaved);
            }

            Execute(tx, $"UPDATE meta SET value = {next} WHERE key = 'next_seq';");
            tx.Commit();
            Interlocked.Increment(ref _commits);

            lock (_state)
            {
                _nextSeq = next;
                _readingRows += readingCount;
                _eventRows += group.Count(r => r.Event is not null);
                if (readingCount > 0)
                {
                    _recentCommits.Enqueue((nowMs, first));
                }

                if (unsaved is not null)
                {
                    foreach (var (slot, n) in unsaved)
                    {
                        SlotCounts.Bump(_droppedStored, slot, n);
                        SlotCounts.Bump(_droppedUnsaved, slot, -n);
                    }
                }
            }
        }

        for (var g = 0; g < group.Count; g++)
        {
            group[g].Done.TrySetResult(results[g]);
        }
    }

    // Nothing more can be evicted and still no room: refuse this group, but count its readings as dropped
    // (reported with the next telemetry batch once something can be written again).
    private void DropGroup(List<CommitRequest> group, long readings, int events, SqliteException cause)
    {
        if (DiskIsFull())
        {
            TallyDiskFull(0, readings, 1);
        }
        else
        {
            OutboxLog.StoreFull(_log, readings, events);
        }

        lock (_state)
        {
            foreach (var request in group)
            {
                foreach (var reading in request.Readings)
                {
                    SlotCounts.Bump(_droppedUnsaved, reading.Slot, 1);
                }
            }
        }

        var error = new OutboxFullException($"The buffer {_path} is full and holds no telemetry to evict.", cause);
        foreach (var request in group)
        {
            request.Done.TrySetException(error);
        }
    }

    private void AddDropped(SqliteTransaction tx, Dictionary<string, long> perSlot)
    {
        using var cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO dropped(slot, n) VALUES($slot, $n) ON CONFLICT(slot) DO UPDATE SET n = n + excluded.n;";
        var pSlot = cmd.Parameters.Add("$slot", SqliteType.Text);
        var pN = cmd.Parameters.Add("$n", SqliteType.Integer);
        foreach (var (slot, n) in perSlot)
        {
            pSlot.Value = slot;
            pN.Value = n;
            cmd.ExecuteNonQuery();
        }
    }

    private object? Scalar(SqliteTransaction tx, string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private int Execute(SqliteTransaction tx, string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteNonQuery();
    }
}
