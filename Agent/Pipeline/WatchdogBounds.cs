namespace ShelfAgent.Pipeline;

/// <summary>How long each loop may go without progress before the watchdog stops being fed.</summary>
/// <param name="Sampling">Longest time between two commits of readings.</param>
/// <param name="Publishing">Longest time with work waiting and no acknowledgement.</param>
public sealed record WatchdogBounds(TimeSpan Sampling, TimeSpan Publishing)
{
    /// <summary>
    /// The bounds for a watchdog timeout (<c>WatchdogSec=</c>) and the agent's own pace. Each loop gets half the
    /// timeout (the ping period), so a stall is acted on between 1 and 1.5 timeouts after it starts; but never less
    /// than two of its own intervals (a slow <c>Sampling:IntervalMs</c> is not a stall), and the publisher never
    /// less than two keep-alives: a connection that stops acknowledging is the keep-alive's to detect (MQTT 5
    /// §3.1.2.10, 1.5 × keep-alive), after which the publisher waits for a connection, which is not a stall.
    /// </summary>
    public static WatchdogBounds For(TimeSpan timeout, TimeSpan samplingInterval, TimeSpan publishInterval, TimeSpan keepAlive)
    {
        var period = WatchdogSettings.PingPeriod(timeout);
        return new WatchdogBounds(
            Max(period, 2 * samplingInterval),
            Max(Max(period, 2 * publishInterval), 2 * keepAlive));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
