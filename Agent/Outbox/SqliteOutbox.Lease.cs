using Microsoft.Data.Sqlite;

namespace ShelfAgent.Outbox;

/// <summary>Leasing in lane order, acknowledging, releasing.</summary>
public sealed partial class SqliteOutbox
{
    /// <inheritdoc />
    /// <remarks>
    /// Telemetry lanes (docs/buffer.md, "Order"): live readings (stamped within
    /// <see cref="OutboxOptions.LiveWindowSeconds"/>) oldest first, then the batch is filled up from the backlog
    /// oldest first. The batch's readings are sorted by seq and it carries the dropped counts not already
    /// reported by another batch in flight. Events and alerts come from <see cref="LeaseEventsAsync"/>.
    /// </remarks>
    public async ValueTask<OutboxBatch> LeaseAsync(int maxReadings, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReadings, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return LeaseReadings(maxReadings);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<OutboxBatch> LeaseEventsAsync(int maxEvents, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return LeaseEvents(maxEvents);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Works on the batch's content, not its identity: a copy (<c>batch with { Readings = first n }</c>) acknowledges
    /// exactly the readings it holds. Deletes are idempotent, so a late acknowledgement is harmless.
    /// </remarks>
    public async ValueTask AckAsync(OutboxBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var runs = InFlightSet.Runs(batch.Readings.Select(r => r.Seq).Order());
            long deletedReadings = 0, deletedEvents = 0;
            using (UnsyncedDeletes())
            using (var tx = _db.BeginTransaction())
            {
                // One statement per run of consecutive seqs: a leased batch is normally one run.
                using var delete = Command(tx, "DELETE FROM reading WHERE seq BETWEEN $lo AND $hi;");
                var lo = delete.Parameters.Add("$lo", SqliteType.Integer);
                var hi = delete.Parameters.Add("$hi", SqliteType.Integer);
                foreach (var run in runs)
                {
                    (lo.Value, hi.Value) = (run.Lo, run.Hi);
                    deletedReadings += delete.ExecuteNonQuery();
                }

                using var deleteEvent = Command(tx, "DELETE FROM event WHERE id = $id;");
                var id = deleteEvent.Parameters.Add("$id", SqliteType.Integer);
                foreach (var e in batch.Events)
                {
                    id.Value = e.Id;
                    deletedEvents += deleteEvent.ExecuteNonQuery();
                }

                if (batch.Dropped.Count > 0)
                {
                    // Subtract, not clear: readings evicted after this batch was leased are still unreported.
                    using var reported = Command(tx, "UPDATE dropped SET n = n - $n WHERE slot = $slot;");
                    var slot = reported.Parameters.Add("$slot", SqliteType.Text);
                    var n = reported.Parameters.Add("$n", SqliteType.Integer);
                    foreach (var (s, count) in batch.Dropped)
                    {
                        (slot.Value, n.Value) = (s, count);
                        reported.ExecuteNonQuery();
                    }

                    Execute(tx, "DELETE FROM dropped WHERE n <= 0;");
                }

                tx.Commit();
            }

            lock (_state)
            {
                _readingRows -= deletedReadings;
                _eventRows -= deletedEvents;
                Forget(runs, batch);
                foreach (var (s, count) in batch.Dropped)
                {
                    SlotCounts.Bump(_droppedStored, s, -count);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Works on content, like <see cref="AckAsync"/>: releasing a subset returns just those readings.</remarks>
    public void Release(OutboxBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        var runs = InFlightSet.Runs(batch.Readings.Select(r => r.Seq).Order());
        lock (_state)
        {
            Forget(runs, batch);
        }

        Signal();
    }

    // Under _state: the batch's readings, events and reported dropped counts are no longer in flight.
    private void Forget(List<(long Lo, long Hi)> runs, OutboxBatch batch)
    {
        foreach (var (lo, hi) in runs)
        {
            _inFlight.Remove(lo, hi);
        }

        foreach (var e in batch.Events)
        {
            _eventsInFlight.Remove(e.Id);
        }

        foreach (var (slot, n) in batch.Dropped)
        {
            SlotCounts.Bump(_droppedLeased, slot, -n);
        }
    }
}
