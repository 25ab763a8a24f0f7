using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Jobs;

/// <summary>
/// One job execution as <see cref="JobsApi"/> keeps it (mutable, under the API's lock), and its JSON shapes from the
/// Jobs API reference: JobExecutionSummary, JobExecutionState and JobExecution.
/// </summary>
internal sealed class JobExecutionState(string jobId, string thing, JsonObject document)
{
    public string JobId { get; } = jobId;

    public string Thing { get; } = thing;

    public JsonObject Document { get; } = document;

    public JobExecutionStatus Status { get; set; } = JobExecutionStatus.Queued;

    public Dictionary<string, string> StatusDetails { get; set; } = new(StringComparer.Ordinal);

    public long VersionNumber { get; set; } = 1;

    public long ExecutionNumber { get; } = 1;

    public long QueuedAt { get; init; }

    public long? StartedAt { get; set; }

    public long LastUpdatedAt { get; set; }

    public List<JobExecutionStatus> History { get; } = [];

    /// <summary>An execution as a snapshot describes it (what a state folder kept).</summary>
    public static JobExecutionState From(JobExecution execution)
    {
        var state = new JobExecutionState(execution.JobId, execution.Thing, (JsonObject)execution.Document.DeepClone())
        {
            Status = execution.Status,
            StatusDetails = new Dictionary<string, string>(execution.StatusDetails, StringComparer.Ordinal),
            VersionNumber = execution.VersionNumber,
            QueuedAt = execution.QueuedAt,
            StartedAt = execution.StartedAt,
            LastUpdatedAt = execution.LastUpdatedAt,
        };
        state.History.AddRange(execution.History);
        return state;
    }

    public JobExecution Snapshot() => new(JobId, Thing, (JsonObject)Document.DeepClone(), Status,
        new Dictionary<string, string>(StatusDetails), VersionNumber, ExecutionNumber, QueuedAt, StartedAt, LastUpdatedAt, [.. History]);

    public JsonObject Summary()
    {
        var summary = new JsonObject
        {
            ["jobId"] = JobId,
            ["queuedAt"] = QueuedAt,
            ["lastUpdatedAt"] = LastUpdatedAt,
            ["versionNumber"] = VersionNumber,
            ["executionNumber"] = ExecutionNumber,
        };
        if (StartedAt is { } started)
        {
            summary["startedAt"] = started;
        }

        return summary;
    }

    public JsonObject State() => new()
    {
        ["status"] = JobExecution.Wire(Status),
        ["statusDetails"] = Details(),
        ["versionNumber"] = VersionNumber,
    };

    public JsonObject Full(bool includeDocument)
    {
        var full = Summary();
        full["thingName"] = Thing;
        full["status"] = JobExecution.Wire(Status);
        full["statusDetails"] = Details();
        if (includeDocument)
        {
            full["jobDocument"] = Document.DeepClone();
        }

        return full;
    }

    private JsonObject Details()
    {
        var details = new JsonObject();
        foreach (var (key, value) in StatusDetails)
        {
            details[key] = value;
        }

        return details;
    }
}
