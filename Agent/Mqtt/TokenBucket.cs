namespace ShelfAgent.Mqtt;

/// <summary>
/// A token bucket with reservations: tokens refill at <c>rate</c> per second up to <c>capacity</c>; a taker may
/// drive the level below zero and is told how long to wait until its reservation is covered. Pure: time is passed in.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _capacity;
    private double _tokens;
    private TimeSpan _last;

    /// <summary>Creates a full bucket at time <paramref name="now"/>.</summary>
    public TokenBucket(double ratePerSecond, double capacity, TimeSpan now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ratePerSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(capacity, 0);
        _rate = ratePerSecond;
        _capacity = capacity;
        _tokens = capacity;
        _last = now;
    }

    /// <summary>Takes <paramref name="amount"/> tokens at <paramref name="now"/>; returns how long to wait before acting (zero if none).</summary>
    public TimeSpan Take(double amount, TimeSpan now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_capacity, _tokens + (now - _last).TotalSeconds * _rate);
            _last = now;
        }

        _tokens -= amount;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _rate);
    }
}
