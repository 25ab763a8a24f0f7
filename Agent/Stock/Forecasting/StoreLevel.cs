namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// The store-wide part of the online demand level, shared by all slots of one device: picks seen over picks the
/// slots' weekly shapes expected, pooled over the slots and fading with <see cref="TimeConstant"/>. A busy day or a
/// public holiday lifts every slot at once, so the store's evidence is several slots' worth and is believed within an
/// hour or two. The slot furthest above (and, from five slots, the one furthest below) the others is
/// left out of the pool, so a burst of grabs or a promotion on one slot does not move the level of the rest
/// (docs/stock.md#online-level).
/// </summary>
public sealed class StoreLevel
{
    /// <summary>Pseudo-picks on both sides of the ratio: the same as one slot's, on several slots' evidence, so it shrinks little.</summary>
    public const double Prior = 1.5;

    /// <summary>
    /// How fast the store's level forgets: a store-wide lift is a day's (busy day, holiday), not a minute's, and several
    /// slots' evidence keeps even a three-hour window quick (docs/benchmarks.md, round 7; chosen on seed 7 over 60 minutes).
    /// </summary>
    public static readonly TimeSpan TimeConstant = TimeSpan.FromHours(3);

    private const double MinLevel = 0.2;
    private const double MaxLevel = 6;

    private readonly List<double> _seen = [];
    private readonly List<double> _expected = [];
    private DateTimeOffset? _at;
    private double? _level;

    /// <summary>Picks seen over picks expected lately, pooled over the slots but the outliers (1 when nothing is known).</summary>
    public double Level => _level ??= Pooled();

    /// <summary>How many slots share this level.</summary>
    public int Slots => _seen.Count;

    /// <summary>Adds a slot to the store; returns the number it reports under.</summary>
    public int Join()
    {
        _seen.Add(0);
        _expected.Add(0);
        return _seen.Count - 1;
    }

    /// <summary>Slot <paramref name="slot"/>'s weekly shape expected <paramref name="picks"/> over an exposure ending at <paramref name="at"/>.</summary>
    public void ObserveExpected(int slot, DateTimeOffset at, double picks)
    {
        Fade(at);
        _expected[slot] += picks;
        _level = null;
    }

    /// <summary>Slot <paramref name="slot"/>, whose shape is known, had <paramref name="items"/> picked at <paramref name="at"/>.</summary>
    public void ObservePicks(int slot, DateTimeOffset at, double items)
    {
        Fade(at);
        _seen[slot] += items;
        _level = null;
    }

    // A trimmed pool: one slot's own lift or dip is that slot's business (its part of SlotDemand's level). Runs on
    // every reading, so one pass without allocation.
    private double Pooled()
    {
        double seen = 0;
        double expected = 0;
        var members = 0;
        int high = -1, low = -1;
        double highRatio = double.MinValue, lowRatio = double.MaxValue;
        for (var i = 0; i < _seen.Count; i++)
        {
            if (_expected[i] <= 0 && _seen[i] <= 0)
            {
                continue;
            }

            members++;
            seen += _seen[i];
            expected += _expected[i];
            var ratio = (_seen[i] + Prior) / (_expected[i] + Prior);
            if (ratio > highRatio)
            {
                (high, highRatio) = (i, ratio);
            }

            if (ratio < lowRatio)
            {
                (low, lowRatio) = (i, ratio);
            }
        }

        if (members >= 3)
        {
            seen -= _seen[high];
            expected -= _expected[high];
        }

        if (members >= 5 && low != high)
        {
            seen -= _seen[low];
            expected -= _expected[low];
        }

        return Math.Clamp((seen + Prior) / (expected + Prior), MinLevel, MaxLevel);
    }

    // Slots report in reading order, so a pick settled a little in the past is added without fading (as in SlotDemand).
    private void Fade(DateTimeOffset now)
    {
        if (_at is { } at && now > at)
        {
            var f = Math.Exp(-(now - at).TotalHours / TimeConstant.TotalHours);
            for (var i = 0; i < _seen.Count; i++)
            {
                _seen[i] *= f;
                _expected[i] *= f;
            }

            _level = null;
        }

        if (_at is null || now > _at)
        {
            _at = now;
        }
    }
}
