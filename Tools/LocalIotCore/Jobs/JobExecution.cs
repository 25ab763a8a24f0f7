using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Jobs;

/// <summary>A snapshot of one job execution: status, statusDetails, version, and every status it went through.</summary>
public sealed record JobExecution(
    string JobId,
    string Thing,
    JsonObject Document,
    JobExecutionStatus Status,
    IReadOnlyDictionary<string, string> StatusDetails,
    long VersionNumber,
    long ExecutionNumber,
    long QueuedAt,
    long? StartedAt,
    long LastUpdatedAt,
    IReadOnlyList<JobExecutionStatus> History)
{
    /// <summary>SUCCEEDED, FAILED, REJECTED, TIMED_OUT, REMOVED, CANCELED: no further update is accepted.</summary>
    public bool IsTerminal => Status is not (JobExecutionStatus.Queued or JobExecutionStatus.InProgress);

    /// <summary>The API's spelling of a status (QUEUED, IN_PROGRESS, …).</summary>
    public static string Wire(JobExecutionStatus status) => status switch
    {
        JobExecutionStatus.Queued => "QUEUED",
        JobExecutionStatus.InProgress => "IN_PROGRESS",
        JobExecutionStatus.Succeeded => "SUCCEEDED",
        JobExecutionStatus.Failed => "FAILED",
        JobExecutionStatus.Rejected => "REJECTED",
        JobExecutionStatus.TimedOut => "TIMED_OUT",
        JobExecutionStatus.Removed => "REMOVED",
        _ => "CANCELED",
    };

    /// <summary>Parses a status a device may send (IN_PROGRESS, SUCCEEDED, FAILED, REJECTED); null otherwise.</summary>
    public static JobExecutionStatus? ParseDeviceStatus(string? wire) => wire switch
    {
        "IN_PROGRESS" => JobExecutionStatus.InProgress,
        "SUCCEEDED" => JobExecutionStatus.Succeeded,
        "FAILED" => JobExecutionStatus.Failed,
        "REJECTED" => JobExecutionStatus.Rejected,
        _ => null,
    };
}
