using System.Collections.ObjectModel;
using Microsoft.Data.Sqlite;

namespace ShelfAgent.Outbox;

/// <summary>Reading leasable rows in lane order, skipping what is in flight.</summary>
public sealed partial class SqliteOutbox
{
    // Commits older than the live window plus this are no longer scanned for live readings (clock slack).
    private const long LiveSlackMs = 10_000;

    private OutboxBatch LeaseEvents(int max)
    {
        int inFlight;
        lock (_state)
        {
            if (_eventRows - _eventsInFlight.Count <= 0)
            {
                return OutboxBatch.Empty;
            }

            inFlight = _eventsInFlight.Count;
        }

        var events = new List<StoredEvent>();
        using (var cmd = Command(null, $"SELECT {OutboxRows.EventColumns} FROM event ORDER BY id LIMIT $n;"))
        {
            cmd.Parameters.AddWithValue("$n", max + inFlight);
            using var r = cmd.ExecuteReader();
            while (events.Count < max && r.Read())
            {
                var id = r.GetInt64(0);
                lock (_state)
                {
                    if (_eventsInFlight.Contains(id))
                    {
                        continue;
                    }
                }

                events.Add(OutboxRows.Event(r));
            }
        }

        if (events.Count == 0)
        {
            return OutboxBatch.Empty;
        }

        lock (_state)
        {
            _eventsInFlight.UnionWith(events.Select(e => e.Id));
        }

        return new OutboxBatch([], ReadOnlyDictionary<string, long>.Empty) { Events = events, Lane = OutboxLane.Events };
    }

    private OutboxBatch LeaseReadings(int max)
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var cutoff = nowMs - _options.LiveWindowSeconds * 1000L;
        long liveFloor;
        lock (_state)
        {
            while (_recentCommits.Count > 1 && _recentCommits.Peek().AtMs < cutoff - LiveSlackMs)
            {
                _recentCommits.Dequeue();
            }

            liveFloor = _recentCommits.Count > 0 && _recentCommits.Peek().AtMs >= cutoff - LiveSlackMs
                ? _recentCommits.Peek().FirstSeq
                : _nextSeq;
        }

        var readings = new List<StoredReading>();
        var live = ScanLeasable(
            $"SELECT {OutboxRows.ReadingColumns} FROM reading WHERE seq >= $from AND ts >= {cutoff} ORDER BY seq LIMIT $n;",
            liveFloor, max, r => readings.Add(OutboxRows.Reading(r)));
        var liveRuns = InFlightSet.Runs(readings.Select(r => r.Seq));
        lock (_state)
        {
            // Mark live readings first so the backlog scan skips them.
            foreach (var (lo, hi) in liveRuns)
            {
                _inFlight.Add(lo, hi);
            }
        }

        var backlog = new List<StoredReading>();
        try
        {
            if (readings.Count < max)
            {
                ScanLeasable($"SELECT {OutboxRows.ReadingColumns} FROM reading WHERE seq >= $from ORDER BY seq LIMIT $n;",
                    0, max - readings.Count, r => backlog.Add(OutboxRows.Reading(r)));
            }
        }
        catch
        {
            lock (_state)
            {
                foreach (var (lo, hi) in liveRuns)
                {
                    _inFlight.Remove(lo, hi);
                }
            }

            throw;
        }

        readings.AddRange(backlog);
        if (readings.Count == 0)
        {
            return OutboxBatch.Empty;
        }

        readings.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_state)
        {
            foreach (var (lo, hi) in InFlightSet.Runs(backlog.Select(r => r.Seq)))
            {
                _inFlight.Add(lo, hi);
            }

            // Report evictions not already reported by a batch still in flight.
            foreach (var (slot, stored) in _droppedStored)
            {
                var unreported = stored - _droppedLeased.GetValueOrDefault(slot);
                if (unreported > 0)
                {
                    dropped[slot] = unreported;
                    SlotCounts.Bump(_droppedLeased, slot, unreported);
                }
            }

        }

        return new OutboxBatch(readings, new ReadOnlyDictionary<string, long>(dropped))
        {
            Lane = live > 0 ? OutboxLane.Live : OutboxLane.Backlog,
        };
    }

    /// <summary>
    /// Reads rows in seq order from <paramref name="from"/>, skipping readings in flight by jumping past their
    /// whole run (re-querying), so a lease costs O(rows taken + runs in flight), not O(rows in flight).
    /// The query must select seq first and take $from and $n.
    /// </summary>
    private int ScanLeasable(string sql, long from, int max, Action<SqliteDataReader> take)
    {
        using var cmd = Command(null, sql);
        var pFrom = cmd.Parameters.Add("$from", SqliteType.Integer);
        var pN = cmd.Parameters.Add("$n", SqliteType.Integer);
        var got = 0;
        while (got < max)
        {
            pFrom.Value = from;
            pN.Value = max - got;
            var skipped = false;
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    var seq = r.GetInt64(0);
                    bool busy;
                    long runEnd;
                    lock (_state)
                    {
                        busy = _inFlight.TryGetRun(seq, out runEnd);
                    }

                    if (busy)
                    {
                        from = runEnd + 1;
                        skipped = true;
                        break;
                    }

                    take(r);
                    got++;
                    from = seq + 1;
                }
            }

            if (!skipped)
            {
                break;
            }
        }

        return got;
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql)
    {
        var cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }
}
