namespace ShelfAgent.Outbox;

/// <summary>
/// Sequence numbers leased and not yet acknowledged, kept as sorted disjoint ranges. Pure and in memory on
/// purpose: after a crash nothing is in flight, so exactly the unacknowledged readings are leasable again.
/// Not thread-safe; the outbox guards it.
/// </summary>
internal sealed class InFlightSet
{
    // Sorted by Lo, disjoint; adjacent ranges are merged.
    private readonly List<(long Lo, long Hi)> _ranges = [];

    /// <summary>How many sequence numbers are in flight.</summary>
    public long Count { get; private set; }

    /// <summary>Number of disjoint ranges (for tests and diagnostics).</summary>
    public int RangeCount => _ranges.Count;

    /// <summary>Marks [lo, hi] in flight. The range must not overlap one already in flight.</summary>
    public void Add(long lo, long hi)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lo, hi);
        var i = LowerBound(lo);
        if (i > 0 && _ranges[i - 1].Hi >= lo || i < _ranges.Count && _ranges[i].Lo <= hi)
        {
            throw new InvalidOperationException($"Readings {lo}..{hi} are already in flight.");
        }

        var mergeLeft = i > 0 && _ranges[i - 1].Hi == lo - 1;
        var mergeRight = i < _ranges.Count && _ranges[i].Lo == hi + 1;
        if (mergeLeft && mergeRight)
        {
            _ranges[i - 1] = (_ranges[i - 1].Lo, _ranges[i].Hi);
            _ranges.RemoveAt(i);
        }
        else if (mergeLeft)
        {
            _ranges[i - 1] = (_ranges[i - 1].Lo, hi);
        }
        else if (mergeRight)
        {
            _ranges[i] = (lo, _ranges[i].Hi);
        }
        else
        {
            _ranges.Insert(i, (lo, hi));
        }

        Count += hi - lo + 1;
    }

    /// <summary>Clears [lo, hi]; the parts of it that are not in flight are ignored.</summary>
    public void Remove(long lo, long hi)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lo, hi);
        var i = Math.Max(0, LowerBound(lo) - 1);
        while (i < _ranges.Count && _ranges[i].Lo <= hi)
        {
            var (rlo, rhi) = _ranges[i];
            if (rhi < lo)
            {
                i++;
                continue;
            }

            var cutLo = Math.Max(lo, rlo);
            var cutHi = Math.Min(hi, rhi);
            Count -= cutHi - cutLo + 1;
            if (rlo < cutLo && rhi > cutHi)
            {
                _ranges[i] = (rlo, cutLo - 1);
                _ranges.Insert(i + 1, (cutHi + 1, rhi));
                return;
            }

            if (rlo < cutLo)
            {
                _ranges[i] = (rlo, cutLo - 1);
                i++;
            }
            else if (rhi > cutHi)
            {
                _ranges[i] = (cutHi + 1, rhi);
                i++;
            }
            else
            {
                _ranges.RemoveAt(i);
            }
        }
    }

    /// <summary>True when <paramref name="seq"/> is in flight; <paramref name="hi"/> is then the end of its run.</summary>
    public bool TryGetRun(long seq, out long hi)
    {
        var i = LowerBound(seq + 1) - 1;
        if (i >= 0 && _ranges[i].Hi >= seq)
        {
            hi = _ranges[i].Hi;
            return true;
        }

        hi = 0;
        return false;
    }

    /// <summary>Whether <paramref name="seq"/> is in flight.</summary>
    public bool Contains(long seq) => TryGetRun(seq, out _);

    /// <summary>Splits ascending-or-not sequence numbers into runs of consecutive values, in the given order.</summary>
    public static List<(long Lo, long Hi)> Runs(IEnumerable<long> seqs)
    {
        var runs = new List<(long Lo, long Hi)>();
        foreach (var s in seqs)
        {
            if (runs.Count > 0 && runs[^1].Hi == s - 1)
            {
                runs[^1] = (runs[^1].Lo, s);
            }
            else
            {
                runs.Add((s, s));
            }
        }

        return runs;
    }

    // First index whose Lo >= value.
    private int LowerBound(long value)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_ranges[mid].Lo < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
