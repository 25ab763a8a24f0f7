namespace ShelfAgent.Transport;

/// <summary>
/// Spreads sends evenly at <c>rate</c> units per second, letting at most <c>burst</c> of time's worth go ahead
/// after a pause (the virtual-scheduling form of GCRA, ITU-T I.371). A sliding-window limit alone lets a steady
/// stream go out in one burst per window, each burst exactly one window after the last, so any delay between
/// our socket and the broker's meter puts two bursts in one of its seconds; and a message queued just after a
/// burst waits most of a second. Paced, the same budget goes out as a smooth stream. Pure: times come from the caller.
/// </summary>
internal sealed class PacedRate(double ratePerSecond, TimeSpan burst)
{
    private TimeSpan _theoreticalArrival = TimeSpan.MinValue;

    /// <summary>The earliest time ≥ <paramref name="now"/> at which the next send conforms.</summary>
    public TimeSpan EarliestAt(TimeSpan now)
    {
        if (_theoreticalArrival == TimeSpan.MinValue)
        {
            return now;
        }

        var at = _theoreticalArrival - burst;
        return at > now ? at : now;
    }

    /// <summary>Records a send of <paramref name="amount"/> units at <paramref name="at"/>.</summary>
    public void Record(TimeSpan at, double amount)
    {
        var from = _theoreticalArrival > at ? _theoreticalArrival : at;
        _theoreticalArrival = from + TimeSpan.FromTicks((long)Math.Ceiling(amount / ratePerSecond * TimeSpan.TicksPerSecond));
    }
}
