namespace ShelfAgent.Transport;

/// <summary>
/// At most <c>limit</c> units in any trailing window (AWS IoT counts publishes and bytes per connection per
/// second). Unlike a token bucket, whose burst lets up to twice the rate through in one window, a send is
/// granted the earliest time at which the window behind it, plus itself, still fits — so the limit is never
/// exceeded. Pure: times come from the caller.
/// </summary>
internal sealed class SlidingWindowLimit(double limit, TimeSpan window)
{
    private readonly Queue<(TimeSpan At, double Amount)> _granted = new();
    private double _sum;
    private TimeSpan _lastAt;

    /// <summary>
    /// The earliest time ≥ <paramref name="now"/> (and ≥ every earlier grant, keeping order) at which
    /// <paramref name="amount"/> fits. Asking changes nothing: a caller may ask about a later time and then come
    /// back earlier (woken for another reason), so only <see cref="Record"/> may forget old grants.
    /// </summary>
    public TimeSpan EarliestAt(double amount, TimeSpan now)
    {
        if (_granted.Count == 0)
        {
            return now;
        }

        var at = now > _lastAt ? now : _lastAt; // never overtake an earlier grant
        var sum = _sum;
        foreach (var (grantedAt, grantedAmount) in _granted)
        {
            if (grantedAt + window <= at)
            {
                sum -= grantedAmount; // already out of the window at that time
                continue;
            }

            if (sum + amount <= limit)
            {
                break;
            }

            // Wait for this grant to leave the window.
            sum -= grantedAmount;
            at = grantedAt + window;
        }

        return at;
    }

    /// <summary>Records a send granted at <paramref name="at"/> (from <see cref="EarliestAt"/>).</summary>
    public void Record(TimeSpan at, double amount)
    {
        _granted.Enqueue((at, amount));
        _sum += amount;
        _lastAt = at;

        // Every later grant comes at or after this one, so what left the window before it can never count again.
        while (_granted.Peek().At + window <= at)
        {
            _sum -= _granted.Dequeue().Amount;
        }
    }
}
