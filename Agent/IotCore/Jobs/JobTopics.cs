namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// The thing's Jobs topics (Developer Guide, "Jobs device MQTT API"): <c>$aws/things/&lt;thing&gt;/jobs/…</c>. The
/// requester adds <c>/accepted</c> and <c>/rejected</c> to the request topics.
/// </summary>
public sealed record JobTopics(string ThingName)
{
    private string Prefix => $"$aws/things/{ThingName}/jobs";

    /// <summary><c>…/jobs/notify-next</c>: the service says which execution is next (or that none is).</summary>
    public string NotifyNext => $"{Prefix}/notify-next";

    /// <summary><c>…/jobs/start-next</c>: StartNextPendingJobExecution (IN_PROGRESS or QUEUED, sets IN_PROGRESS).</summary>
    public string StartNext => $"{Prefix}/start-next";

    /// <summary><c>…/jobs/&lt;jobId&gt;/update</c>: UpdateJobExecution.</summary>
    public string Update(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        return $"{Prefix}/{jobId}/update";
    }
}
