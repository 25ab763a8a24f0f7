namespace ShelfAgent.Pipeline;

/// <summary>
/// The second of every minute at which a device sends its minute summaries (<c>Publish:Readings</c> summaries,
/// <c>Publish:SpreadSummaries</c>). Every minute closes at :00 on every device's clock, so without it a whole fleet
/// would publish in the same few seconds — 10,000 simulated devices did (docs/benchmarks.md, issue 22, round 4) — and
/// AWS IoT's per-account publish rate would see a burst each minute. Each device instead takes a second fixed by its
/// thing name, so the fleet's summaries arrive evenly over the minute. Between :10 and :55: late enough that a minute
/// closed at :00 has been committed (its summary is written with the next minute's first sample, a sampling interval
/// later), early enough that it goes out within the minute after it closed. Pure.
/// </summary>
public static class SummarySecond
{
    /// <summary>The earliest second of the minute a device is given.</summary>
    public static readonly TimeSpan Earliest = TimeSpan.FromSeconds(10);

    /// <summary>The end (excluded) of the seconds a device is given.</summary>
    public static readonly TimeSpan Latest = TimeSpan.FromSeconds(55);

    /// <summary>
    /// The device's offset into every minute, to the millisecond: the same thing name always gets the same one (FNV-1a of
    /// its UTF-8 bytes — stable across runs and platforms, unlike <see cref="string.GetHashCode()"/>).
    /// </summary>
    public static TimeSpan For(string thingName)
    {
        ArgumentNullException.ThrowIfNull(thingName);
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(thingName))
        {
            hash = (hash ^ b) * 16777619u;
        }

        var span = (uint)(Latest - Earliest).TotalMilliseconds;
        return Earliest + TimeSpan.FromMilliseconds(hash % span);
    }

    /// <summary>How long from <paramref name="now"/> until the next time the clock shows <paramref name="offset"/> into a minute (never zero).</summary>
    public static TimeSpan Until(DateTimeOffset now, TimeSpan offset)
    {
        const long minute = 60_000;
        var intoMinute = ((now.ToUnixTimeMilliseconds() % minute) + minute) % minute;
        var wait = (long)offset.TotalMilliseconds - intoMinute;
        return TimeSpan.FromMilliseconds(wait > 0 ? wait : wait + minute);
    }
}
