namespace ShelfAgent.Stock;

/// <summary>Which readings the device publishes (<c>Publish:Readings</c>).</summary>
public enum PublishedReadings
{
    /// <summary><c>summaries</c> (default): one reading per slot per minute, its last sample with a <see cref="ReadingSummary"/>.</summary>
    Summaries,

    /// <summary><c>all</c>: every sample, as before issue 21.</summary>
    All,
}
