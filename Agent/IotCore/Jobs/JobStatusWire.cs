namespace ShelfAgent.IotCore.Jobs;

/// <summary>The status names on the wire (Jobs device MQTT API: "QUEUED", "IN_PROGRESS", "SUCCEEDED", …).</summary>
public static class JobStatusWire
{
    /// <summary>The wire name.</summary>
    public static string Name(JobStatus status) => status switch
    {
        JobStatus.Queued => "QUEUED",
        JobStatus.InProgress => "IN_PROGRESS",
        JobStatus.Succeeded => "SUCCEEDED",
        JobStatus.Failed => "FAILED",
        JobStatus.Rejected => "REJECTED",
        JobStatus.TimedOut => "TIMED_OUT",
        JobStatus.Removed => "REMOVED",
        JobStatus.Canceled => "CANCELED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Parses a wire name; false for anything else.</summary>
    public static bool TryParse(string? name, out JobStatus status)
    {
        foreach (var candidate in Enum.GetValues<JobStatus>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>True for a status no update can leave (SUCCEEDED, FAILED, REJECTED, TIMED_OUT, REMOVED, CANCELED).</summary>
    public static bool IsTerminal(JobStatus status) => status is not (JobStatus.Queued or JobStatus.InProgress);
}
