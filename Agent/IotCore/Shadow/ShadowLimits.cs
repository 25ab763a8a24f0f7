using ShelfAgent.Transport;

namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// Keeps shadow requests within AWS IoT's limits (pure; times from the caller): the state document (desired plus
/// reported, metadata not counted) is at most 8 KB (Developer Guide, "Diagnosing problems with shadows": "supports 8 KB
/// of data only"; 413 above it), and a thing takes a limited number of shadow requests per second (AWS IoT Core quotas,
/// "Device Shadow": 20 requests per second per thing by default; 429 above 10 in-flight requests per connection).
/// The guard allows half the per-thing rate so the cloud side's own updates of the same thing still fit.
/// </summary>
public sealed class ShadowLimits(double requestsPerSecond = ShadowLimits.DefaultRequestsPerSecond)
{
    /// <summary>AWS IoT's state document limit.</summary>
    public const int MaxStateBytes = 8 * 1024;

    /// <summary>Half of AWS's default 20 requests per second per thing.</summary>
    public const double DefaultRequestsPerSecond = 10;

    private readonly SlidingWindowLimit _rate = new(requestsPerSecond, TimeSpan.FromSeconds(1));

    /// <summary>True when a reported section of <paramref name="reportedBytes"/> fits beside a desired section of <paramref name="desiredBytes"/>.</summary>
    public static bool Fits(int reportedBytes, int desiredBytes) => reportedBytes + desiredBytes <= MaxStateBytes;

    /// <summary>How long to wait from <paramref name="now"/> (a monotonic time) before the next request may go; zero when it may go now.</summary>
    public TimeSpan Wait(TimeSpan now)
    {
        var at = _rate.EarliestAt(1, now);
        return at > now ? at - now : TimeSpan.Zero;
    }

    /// <summary>Records a request sent at <paramref name="at"/>.</summary>
    public void Sent(TimeSpan at) => _rate.Record(at, 1);
}
