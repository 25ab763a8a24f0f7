namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// A job execution's status (Jobs device MQTT API, "JobExecutionState"). A device may set only
/// <see cref="InProgress"/>, <see cref="Succeeded"/>, <see cref="Failed"/> and <see cref="Rejected"/>; the others are the
/// service's. Wire names in <see cref="JobStatusWire"/>.
/// </summary>
public enum JobStatus
{
    /// <summary>QUEUED: waiting for the device.</summary>
    Queued,
    /// <summary>IN_PROGRESS: the device took it (start-next sets this).</summary>
    InProgress,
    /// <summary>SUCCEEDED: done (terminal).</summary>
    Succeeded,
    /// <summary>FAILED: tried and failed (terminal).</summary>
    Failed,
    /// <summary>REJECTED: the device will not do it, e.g. an unknown operation (terminal).</summary>
    Rejected,
    /// <summary>TIMED_OUT: the step timeout passed (terminal, set by the service).</summary>
    TimedOut,
    /// <summary>REMOVED: the thing left the job's target (terminal, set by the service).</summary>
    Removed,
    /// <summary>CANCELED: the job was cancelled (terminal, set by the service).</summary>
    Canceled,
}
