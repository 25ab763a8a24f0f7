using System.Runtime.InteropServices;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The telemetry of a <see cref="MemoryOutbox"/>: readings in sequence order, each stored or gone and leased or not, with
/// the live lane found as the SQLite outbox finds it (the commits of the last live window). Not thread-safe: the outbox
/// guards it.
/// </summary>
internal sealed class MemoryReadings(long liveWindowMs)
{
    // Commits older than the live window plus this are no longer scanned for live readings (as SqliteOutbox does).
    private const long LiveSlackMs = 10_000;

    // In seq order; an acknowledged or evicted reading leaves a hole (Stored null) until the head passes it.
    private readonly List<Entry> _entries = [];
    private readonly Queue<(long AtMs, long FirstSeq)> _recentCommits = new();
    private int _head;
    private long _nextSeq = 1;

    /// <summary>Readings stored (in flight or not).</summary>
    public long Stored { get; private set; }

    /// <summary>Readings leased and neither acknowledged nor released.</summary>
    public long InFlight { get; private set; }

    /// <summary>Stores <paramref name="readings"/> committed at <paramref name="nowMs"/>; returns their sequence numbers.</summary>
    public long[] Append(IReadOnlyList<Reading> readings, long nowMs)
    {
        var seqs = new long[readings.Count];
        _recentCommits.Enqueue((nowMs, _nextSeq));
        for (var i = 0; i < seqs.Length; i++)
        {
            seqs[i] = _nextSeq;
            _entries.Add(new Entry(_nextSeq, new StoredReading(_nextSeq, AsStored(readings[i]))));
            _nextSeq++;
        }

        Stored += seqs.Length;
        return seqs;
    }

    /// <summary>
    /// Leases up to <paramref name="max"/> readings: live ones (stamped at or after <paramref name="nowMs"/> minus the live
    /// window) oldest first, then the oldest of the rest. In seq order; <paramref name="live"/> says whether any was live.
    /// </summary>
    public List<StoredReading> Lease(int max, long nowMs, out bool live)
    {
        var cutoff = nowMs - liveWindowMs;
        while (_recentCommits.Count > 1 && _recentCommits.Peek().AtMs < cutoff - LiveSlackMs)
        {
            _recentCommits.Dequeue();
        }

        var liveFloor = _recentCommits.Count > 0 && _recentCommits.Peek().AtMs >= cutoff - LiveSlackMs ? _recentCommits.Peek().FirstSeq : _nextSeq;
        var taken = new List<StoredReading>();
        var start = IndexOf(liveFloor);
        Take(start < 0 ? ~start : start, max, r => r.Reading.Timestamp.ToUnixTimeMilliseconds() >= cutoff, taken);
        live = taken.Count > 0;
        if (taken.Count < max)
        {
            Take(_head, max, static _ => true, taken);
        }

        taken.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return taken;
    }

    /// <summary>Deletes the reading <paramref name="seq"/> (acknowledged); nothing when it is already gone.</summary>
    public void Remove(long seq)
    {
        var i = IndexOf(seq);
        if (i >= 0 && _entries[i].Stored is not null)
        {
            InFlight -= _entries[i].Leased ? 1 : 0;
            _entries[i] = new Entry(seq, null);
            Stored--;
        }
    }

    /// <summary>Makes the reading <paramref name="seq"/> leasable again, when it is still stored and leased.</summary>
    public void Release(long seq)
    {
        var i = IndexOf(seq);
        if (i >= 0 && _entries[i] is { Stored: not null, Leased: true } entry)
        {
            _entries[i] = entry with { Leased = false };
            InFlight--;
        }
    }

    /// <summary>
    /// Deletes up to <paramref name="want"/> of the oldest readings not in flight (a reading in flight may still be
    /// delivered), adding each to <paramref name="perSlot"/>. Returns how many.
    /// </summary>
    public long EvictOldest(long want, Action<string> perSlot)
    {
        var entries = CollectionsMarshal.AsSpan(_entries);
        long evicted = 0;
        for (var i = _head; i < entries.Length && evicted < want; i++)
        {
            if (entries[i] is { Stored: { } r, Leased: false })
            {
                entries[i] = new Entry(r.Seq, null);
                perSlot(r.Reading.Slot);
                evicted++;
            }
        }

        Stored -= evicted;
        return evicted;
    }

    /// <summary>Skips the holes at the head; drops them from the list once they are most of it (amortised O(1) a reading).</summary>
    public void Trim()
    {
        while (_head < _entries.Count && _entries[_head].Stored is null)
        {
            _head++;
        }

        if (_head == _entries.Count || _head > 64 && _head > _entries.Count / 2)
        {
            _entries.RemoveRange(0, _head);
            _head = 0;
        }
    }

    // Leases, from index `from` on, stored readings not in flight that `wanted` accepts, until `taken` holds `max`.
    private void Take(int from, int max, Func<StoredReading, bool> wanted, List<StoredReading> taken)
    {
        var entries = CollectionsMarshal.AsSpan(_entries);
        for (var i = from; i < entries.Length && taken.Count < max; i++)
        {
            if (entries[i] is { Stored: { } r, Leased: false } && wanted(r))
            {
                entries[i] = entries[i] with { Leased = true };
                InFlight++;
                taken.Add(r);
            }
        }
    }

    // Binary search by seq (holes keep their seq): the index, or the bitwise complement of where it would go.
    private int IndexOf(long seq)
    {
        int lo = _head, hi = _entries.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var s = _entries[mid].Seq;
            if (s == seq)
            {
                return mid;
            }

            if (s < seq)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    // As the SQLite outbox gives a reading back: its time in whole milliseconds, UTC.
    private static Reading AsStored(Reading reading)
    {
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(reading.Timestamp.ToUnixTimeMilliseconds());
        return ts.EqualsExact(reading.Timestamp) ? reading : reading with { Timestamp = ts };
    }

    private readonly record struct Entry(long Seq, StoredReading? Stored, bool Leased = false);
}
