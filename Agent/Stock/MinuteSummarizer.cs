namespace ShelfAgent.Stock;

/// <summary>
/// Folds each slot's samples into one reading per UTC minute: the minute's last sample with a
/// <see cref="ReadingSummary"/> (samples, least and most grams, faults). A minute closes when the slot's first sample
/// of a later minute arrives, so at 1 Hz sampling its summary is ready about a second after the minute ends. Pure:
/// samples in, closed summaries out. Not thread-safe (one sampling loop owns it).
/// </summary>
public sealed class MinuteSummarizer
{
    private readonly Dictionary<string, Minute> _open = new(StringComparer.Ordinal);

    /// <summary>Adds one round of samples; returns the summaries of the minutes they closed, in the round's slot order.</summary>
    public IReadOnlyList<Reading> Add(IReadOnlyList<Reading> round)
    {
        ArgumentNullException.ThrowIfNull(round);
        List<Reading>? closed = null;
        foreach (var reading in round)
        {
            var minute = MinuteOf(reading.Timestamp);
            if (_open.TryGetValue(reading.Slot, out var open))
            {
                if (minute == open.Start)
                {
                    open.Add(reading);
                    continue;
                }

                (closed ??= []).Add(open.Summary());
            }

            _open[reading.Slot] = new Minute(minute, reading);
        }

        return closed ?? (IReadOnlyList<Reading>)[];
    }

    /// <summary>Closes every open minute (at stop): its summary covers the samples taken so far.</summary>
    public IReadOnlyList<Reading> Flush()
    {
        var closed = _open.Values.Select(m => m.Summary()).ToList();
        _open.Clear();
        return closed;
    }

    /// <summary>The UTC minute a timestamp falls in. A clock step backwards opens a new minute too (never merges two).</summary>
    public static long MinuteOf(DateTimeOffset timestamp) => Math.DivRem(timestamp.ToUnixTimeMilliseconds(), 60_000L, out var rest) - (rest < 0 ? 1 : 0);

    private sealed class Minute(long start, Reading first)
    {
        private Reading _last = first;
        private int _samples = 1;
        private int _faults = first.Status == StockStatus.Fault ? 1 : 0;
        private double? _min = first.Grams;
        private double? _max = first.Grams;

        public long Start { get; } = start;

        public void Add(Reading reading)
        {
            _last = reading;
            _samples++;
            if (reading.Status == StockStatus.Fault)
            {
                _faults++;
            }

            if (reading.Grams is { } g)
            {
                _min = _min is { } min ? Math.Min(min, g) : g;
                _max = _max is { } max ? Math.Max(max, g) : g;
            }
        }

        public Reading Summary() => _last with { Summary = new ReadingSummary(_samples, _min, _max, _faults) };
    }
}
