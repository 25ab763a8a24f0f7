namespace ShelfAgent.Transport;

/// <summary>
/// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): the delay before
/// retry n is uniform in [0, min(max, min × 2^n)], so a fleet that lost its broker at once does not return at once.
/// </summary>
public sealed class Backoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;

    /// <summary>Creates the policy; <paramref name="min"/> is the first ceiling, <paramref name="max"/> the cap.</summary>
    public Backoff(TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
    }

    /// <summary>The ceiling for attempt <paramref name="attempt"/> (0-based): min(max, min × 2^attempt).</summary>
    public TimeSpan Ceiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var factor = Math.Pow(2, Math.Min(attempt, 62));
        var ticks = Math.Min(_max.Ticks, _min.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay for <paramref name="attempt"/> given a uniform random number in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double random01)
    {
        if (random01 is < 0 or >= 1 || double.IsNaN(random01))
        {
            throw new ArgumentOutOfRangeException(nameof(random01), random01, "Must be in [0, 1).");
        }

        return TimeSpan.FromTicks((long)(Ceiling(attempt).Ticks * random01));
    }

    /// <summary>
    /// The attempt number after a connection that stayed up <paramref name="stayedUp"/> ended: back to 0 only when it
    /// stayed up at least <paramref name="stableAfter"/>. A broker that accepts and drops at once (an AWS IoT policy
    /// refusing a topic) must not reset the backoff, or a fleet would reconnect in a storm.
    /// </summary>
    public static int AfterConnection(int attempt, TimeSpan stayedUp, TimeSpan stableAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        return stayedUp >= stableAfter ? 0 : Math.Min(attempt + 1, 62);
    }
}
