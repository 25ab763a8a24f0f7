namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// When a slot is usually refilled, learned from its own restocks per hour of the week: the chance of a refill in
/// hour h is the restocks seen in h over the weeks watched, shrunk toward the same hour on other days (one week's
/// worth), so a round seen on Monday is half-expected on Tuesday until Tuesday is seen. Only refills of a slot that
/// still had stock count: a clerk filling an empty slot reacts to the stock-out and is no rhythm to wait for. The
/// next expected refill is when those chances, summed forward from now, reach one half (docs/stock.md).
/// </summary>
public sealed class RefillRhythm
{
    /// <summary>Summed refill chance at which a refill is expected.</summary>
    public const double ExpectedAt = 0.5;

    /// <summary>Weeks of observation the same-hour-on-other-days prior is worth.</summary>
    public const double PriorWeeks = 1;

    /// <summary>A refill right after one is not a new round (the rest of the round, a second trip).</summary>
    public static readonly TimeSpan MinGap = TimeSpan.FromHours(1);

    private readonly double[] _refills = new double[HourOfWeek.Count];
    private double[]? _chance;
    private DateTimeOffset? _first;
    private DateTimeOffset _last;
    private DateTimeOffset? _lastRefill;

    /// <summary>Weeks watched so far.</summary>
    public double Weeks => _first is { } f ? Math.Max(0, (_last - f).TotalDays / 7) : 0;

    /// <summary>True once a refill has been seen and a day has been watched (before that nothing is expected).</summary>
    public bool Known => _refills.Any(r => r > 0) && Weeks >= 1 / 7.0;

    /// <summary>The clock moved to <paramref name="now"/> (readings come in).</summary>
    public void Watch(DateTimeOffset now)
    {
        _first ??= now;
        if (now > _last)
        {
            _last = now;
            _chance = null;
        }
    }

    /// <summary>A slot that held <paramref name="before"/> items was refilled at <paramref name="at"/>.</summary>
    public void Refilled(DateTimeOffset at, int before)
    {
        Watch(at);
        if (before > 0 && (_lastRefill is not { } last || at - last >= MinGap))
        {
            _refills[HourOfWeek.Of(at)]++;
            _chance = null;
        }

        _lastRefill = at;
    }

    /// <summary>Chance of a refill in an hour of the week.</summary>
    public double Chance(int hourOfWeek) => (_chance ??= Chances())[hourOfWeek];

    /// <summary>When the next refill is expected after <paramref name="now"/>; null when none is known within <paramref name="reach"/>.</summary>
    public DateTimeOffset? Next(DateTimeOffset now, TimeSpan reach)
    {
        if (!Known)
        {
            return null;
        }

        // The refill that just happened is not the next one.
        var from = _lastRefill is { } last && last + MinGap > now ? last + MinGap : now;
        var sum = 0.0;
        var t = from;
        while (t < now + reach)
        {
            var hourEnd = HourOfWeek.StartOfHour(t).AddHours(1);
            var chance = Chance(HourOfWeek.Of(t)) * (hourEnd - t).TotalHours;
            if (sum + chance >= ExpectedAt)
            {
                return t + ((hourEnd - t) * ((ExpectedAt - sum) / chance));
            }

            sum += chance;
            t = hourEnd;
        }

        return null;
    }

    private double[] Chances()
    {
        var weeks = Math.Max(Weeks, 1 / 7.0);
        var hourOfDay = new double[24];
        for (var h = 0; h < HourOfWeek.Count; h++)
        {
            hourOfDay[h % 24] += _refills[h] / (7 * weeks);
        }

        var chance = new double[HourOfWeek.Count];
        for (var h = 0; h < chance.Length; h++)
        {
            chance[h] = Math.Min(1, (_refills[h] + (PriorWeeks * hourOfDay[h % 24])) / (weeks + PriorWeeks));
        }

        return chance;
    }
}
