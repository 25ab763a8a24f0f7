namespace ShelfAgent.Pipeline;

/// <summary>
/// The progress rule behind <c>WATCHDOG=1</c>: the watchdog is fed only while sampling commits to the outbox and
/// the publisher makes progress or has nothing to do. A wedged loop (a commit that never returns, a publisher stuck
/// with work waiting) stops the feeding, and systemd restarts the agent after <c>WatchdogSec=</c> (systemd.service(5)).
/// An unreachable broker is not a stall: the publisher then waits for a connection and the outbox keeps the readings.
/// </summary>
public static class WatchdogRule
{
    /// <summary>Judges one snapshot against the bounds.</summary>
    public static WatchdogVerdict Check(ProgressSnapshot progress, WatchdogBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (progress.SinceCommit > bounds.Sampling)
        {
            return WatchdogVerdict.SamplingStalled;
        }

        return !progress.PublisherIdle && progress.SinceAck > bounds.Publishing
            ? WatchdogVerdict.PublishingStalled
            : WatchdogVerdict.Healthy;
    }
}
