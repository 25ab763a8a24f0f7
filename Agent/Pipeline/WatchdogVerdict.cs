namespace ShelfAgent.Pipeline;

/// <summary>What <see cref="WatchdogRule"/> concluded about the pipeline.</summary>
public enum WatchdogVerdict
{
    /// <summary>Sampling commits and the publisher moves (or has nothing to do): feed the watchdog.</summary>
    Healthy,

    /// <summary>No readings committed to the outbox within the sampling bound.</summary>
    SamplingStalled,

    /// <summary>Work waiting, a connection up, and no batch acknowledged within the publishing bound.</summary>
    PublishingStalled,
}
