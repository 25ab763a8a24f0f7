namespace ShelfAgent.Mqtt;

/// <summary>
/// At most <c>limit</c> units in any trailing window (AWS IoT counts publishes and bytes per connection per
/// second). Unlike a token bucket, whose burst lets up to twice the rate through in one window, a send is
/// granted the earliest time at which the window behind it, plus itself, still fits — so the limit is never
/// exceeded, while a steady stream still uses all of it. Pure: times come from the caller.
/// </summary>
internal sealed class SlidingWindowLimit(double limit, TimeSpan window)
{
    private readonly Queue<(TimeSpan At, double Amount)> _granted = new();
    private double _sum;

    /// <summary>The earliest time ≥ <paramref name="now"/> (and ≥ every earlier grant, keeping order) at which <paramref name="amount"/> fits.</summary>
    public TimeSpan EarliestAt(double amount, TimeSpan now)
    {
        Forget(now);
        var at = now;
        var sum = _sum;
        foreach (var (grantedAt, grantedAmount) in _granted)
        {
            at = Max(at, grantedAt); // never overtake an earlier grant
            if (sum + amount <= limit)
            {
                break;
            }

            // Wait for this grant to leave the window.
            sum -= grantedAmount;
            at = Max(at, grantedAt + window);
        }

        return _granted.Count > 0 ? Max(at, LastAt) : at;
    }

    /// <summary>Records a send granted at <paramref name="at"/> (from <see cref="EarliestAt"/>).</summary>
    public void Record(TimeSpan at, double amount)
    {
        _granted.Enqueue((at, amount));
        _sum += amount;
        LastAt = at;
    }

    private TimeSpan LastAt { get; set; }

    private void Forget(TimeSpan now)
    {
        while (_granted.Count > 0 && _granted.Peek().At + window <= now)
        {
            _sum -= _granted.Dequeue().Amount;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
