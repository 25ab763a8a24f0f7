using System.Collections.ObjectModel;
using Microsoft.Extensions.Logging;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The outbox of a simulated device with <c>--outbox memory</c>: the <see cref="IOutbox"/> contract of the agent's
/// <see cref="SqliteOutbox"/> (events first, then live, then backlog, oldest first; leases, acknowledgements, releases,
/// sequence numbers from 1, the oldest telemetry evicted and counted per slot when full) on managed lists, without
/// SQLite. An in-memory SQLite database cost ~65 KB of native memory a device (docs/benchmarks.md, issue 22); this one
/// costs what the readings it holds cost. Readings come back as the SQLite outbox returns them (milliseconds, UTC) and
/// events as their stored text decodes, so what goes on the wire is the same. Nothing survives the process, and no raw
/// samples are kept (the simulator sets <c>Buffer:RawRetentionDays</c> to 0). Thread-safe: one lock.
/// </summary>
public sealed partial class MemoryOutbox : IOutbox
{
    /// <summary>What one buffered reading is taken to cost, to turn <see cref="OutboxOptions.MaxBytes"/> into a count.</summary>
    public const int BytesPerReading = 160;

    private readonly TimeProvider _time;
    private readonly ILogger<MemoryOutbox> _log;
    private readonly long _maxReadings;
    private readonly Lock _state = new();

    private readonly MemoryReadings _readings;
    private readonly List<StoredEvent> _events = [];
    private readonly HashSet<long> _eventsInFlight = [];
    private readonly Dictionary<string, long> _droppedStored = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _droppedLeased = new(StringComparer.Ordinal);
    private long _nextEventId = 1;
    private TaskCompletionSource _dataArrived = NewSignal();
    private bool _disposed;

    /// <summary>An empty outbox holding at most <see cref="OutboxOptions.MaxBytes"/> / <see cref="BytesPerReading"/> readings.</summary>
    public MemoryOutbox(OutboxOptions options, TimeProvider time, ILogger<MemoryOutbox> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        _time = time;
        _log = log;
        _readings = new MemoryReadings(options.LiveWindowSeconds * 1000L);
        _maxReadings = Math.Max(1, options.MaxBytes / BytesPerReading);
    }

    /// <summary>Readings and events stored and not in flight (what a lease could take now).</summary>
    public long Leasable
    {
        get
        {
            lock (_state)
            {
                return LeasableLocked();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken) =>
        AppendAsync(readings, [], cancellationToken);

    /// <inheritdoc />
    /// <remarks>Raw samples are checked and not kept: a simulated device has no <c>upload-readings</c> job to serve.</remarks>
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Reading> readings, IReadOnlyList<Reading> raw, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(raw);
        cancellationToken.ThrowIfCancellationRequested();
        for (var i = 0; i < readings.Count; i++)
        {
            OutboxInput.Validate(readings[i], i);
        }

        for (var i = 0; i < raw.Count; i++)
        {
            OutboxInput.Validate(raw[i], i);
        }

        if (readings.Count == 0)
        {
            return ValueTask.FromResult<IReadOnlyList<long>>([]);
        }

        long[] seqs;
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            MakeRoomLocked(readings);
            seqs = _readings.Append(readings, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }

        Signal();
        return ValueTask.FromResult<IReadOnlyList<long>>(seqs);
    }

    /// <inheritdoc />
    public ValueTask<long> AppendEventAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        cancellationToken.ThrowIfCancellationRequested();
        if (outboxEvent.Message is null)
        {
            throw new ArgumentException("Only a stock message can be appended.", nameof(outboxEvent));
        }

        // Through its stored text, as the SQLite outbox keeps it: the payload built from it is then the same.
        var stored = new OutboxEvent(StoredMessage.Decode(outboxEvent.Kind, StoredMessage.Encode(outboxEvent.Message)));
        long id;
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            id = _nextEventId++;
            _events.Add(new StoredEvent(id, stored));
        }

        Signal();
        return ValueTask.FromResult(id);
    }

    /// <inheritdoc />
    public ValueTask<OutboxBatch> LeaseAsync(int maxReadings, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxReadings, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ValueTask.FromResult(LeaseReadingsLocked(maxReadings));
        }
    }

    /// <inheritdoc />
    public ValueTask<OutboxBatch> LeaseEventsAsync(int maxEvents, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var events = new List<StoredEvent>();
            foreach (var e in _events)
            {
                if (events.Count == maxEvents)
                {
                    break;
                }

                if (_eventsInFlight.Add(e.Id))
                {
                    events.Add(e);
                }
            }

            return ValueTask.FromResult(events.Count == 0
                ? OutboxBatch.Empty
                : new OutboxBatch([], ReadOnlyDictionary<string, long>.Empty) { Events = events, Lane = OutboxLane.Events });
        }
    }

    /// <inheritdoc />
    /// <remarks>Works on the batch's content, like the SQLite outbox: a late or repeated acknowledgement is harmless.</remarks>
    public ValueTask AckAsync(OutboxBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_state)
        {
            foreach (var r in batch.Readings)
            {
                _readings.Remove(r.Seq);
            }

            foreach (var e in batch.Events)
            {
                _eventsInFlight.Remove(e.Id);
                _events.RemoveAll(x => x.Id == e.Id);
            }

            foreach (var (slot, n) in batch.Dropped)
            {
                // Subtract, not clear: readings evicted after this batch was leased are still unreported.
                SlotCounts.Bump(_droppedStored, slot, -n);
                SlotCounts.Bump(_droppedLeased, slot, -n);
            }

            _readings.Trim();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Release(OutboxBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        lock (_state)
        {
            foreach (var r in batch.Readings)
            {
                _readings.Release(r.Seq);
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

        Signal();
    }

    /// <inheritdoc />
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => WaitUntilAsync(() => LeasableLocked() > 0, cancellationToken);

    /// <inheritdoc />
    public ValueTask WaitForEventsAsync(CancellationToken cancellationToken) =>
        WaitUntilAsync(() => _events.Count - _eventsInFlight.Count > 0, cancellationToken);

    /// <summary>Ends the waits; what is stored is gone with the object.</summary>
    public ValueTask DisposeAsync()
    {
        TaskCompletionSource waiting;
        lock (_state)
        {
            _disposed = true;
            waiting = _dataArrived;
        }

        waiting.TrySetCanceled();
        return ValueTask.CompletedTask;
    }

    private OutboxBatch LeaseReadingsLocked(int max)
    {
        var taken = _readings.Lease(max, _time.GetUtcNow().ToUnixTimeMilliseconds(), out var live);
        if (taken.Count == 0)
        {
            return OutboxBatch.Empty;
        }

        var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (slot, stored) in _droppedStored)
        {
            var unreported = stored - _droppedLeased.GetValueOrDefault(slot);
            if (unreported > 0)
            {
                dropped[slot] = unreported;
                SlotCounts.Bump(_droppedLeased, slot, unreported);
            }
        }

        return new OutboxBatch(taken, new ReadOnlyDictionary<string, long>(dropped)) { Lane = live ? OutboxLane.Live : OutboxLane.Backlog };
    }

    // Full: the oldest readings not in flight go first (a reading in flight may still be delivered), counted per slot
    // and reported with the next batch, as the SQLite outbox does at Buffer:MaxBytes. Events are never evicted.
    private void MakeRoomLocked(IReadOnlyList<Reading> incoming)
    {
        var stored = _readings.Stored;
        if (stored + incoming.Count <= _maxReadings)
        {
            return;
        }

        var want = Math.Max(Math.Max(stored + incoming.Count - _maxReadings, stored / 64), Math.Min(256, stored));
        var slots = new HashSet<string>(StringComparer.Ordinal);
        var evicted = _readings.EvictOldest(want, slot =>
        {
            SlotCounts.Bump(_droppedStored, slot, 1);
            slots.Add(slot);
        });
        _readings.Trim();
        if (evicted > 0)
        {
            Evicting(_log, evicted, slots.Count);
        }

        if (_readings.Stored + incoming.Count > _maxReadings)
        {
            foreach (var reading in incoming)
            {
                SlotCounts.Bump(_droppedStored, reading.Slot, 1);
            }

            throw new OutboxFullException($"The in-memory outbox is full ({_maxReadings:N0} readings) and holds no telemetry to evict.");
        }
    }

    private long LeasableLocked() => _readings.Stored - _readings.InFlight + _events.Count - _eventsInFlight.Count;

    private async ValueTask WaitUntilAsync(Func<bool> leasable, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task arrived;
            lock (_state)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (leasable())
                {
                    return;
                }

                arrived = _dataArrived.Task;
            }

            await arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_state)
        {
            old = _dataArrived;
            _dataArrived = NewSignal();
        }

        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "In-memory outbox full: evicted the {Count} oldest readings of {Slots} slots")]
    private static partial void Evicting(ILogger logger, long count, int slots);
}
