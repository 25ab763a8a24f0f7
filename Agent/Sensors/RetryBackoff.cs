namespace ShelfAgent.Sensors;

/// <summary>Pure: the wait before asking a failing sensor again, doubling from <see cref="First"/> up to <see cref="Max"/>.</summary>
public sealed record RetryBackoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>1 s, 2 s, 4 s … at most 5 minutes.</summary>
    public static RetryBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>Delay after the given number of consecutive faults (1 → <see cref="First"/>).</summary>
    public TimeSpan After(int consecutiveFaults)
    {
        if (consecutiveFaults < 1)
        {
            return TimeSpan.Zero;
        }

        var factor = Math.Pow(2, Math.Min(consecutiveFaults - 1, 30));
        return TimeSpan.FromTicks((long)Math.Min(Max.Ticks, First.Ticks * factor));
    }
}
