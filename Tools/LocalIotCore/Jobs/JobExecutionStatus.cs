namespace ShelfAgent.LocalIot.Jobs;

/// <summary>Job execution statuses (API reference "JobExecution"); a device may set IN_PROGRESS, SUCCEEDED, FAILED, REJECTED.</summary>
public enum JobExecutionStatus
{
    Queued,
    InProgress,
    Succeeded,
    Failed,
    Rejected,
    TimedOut,
    Removed,
    Canceled,
}
