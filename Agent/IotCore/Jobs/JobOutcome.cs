namespace ShelfAgent.IotCore.Jobs;

/// <summary>How an operation ended: the status to report and its details, most important first (limited on encoding).</summary>
/// <param name="Status">SUCCEEDED, FAILED or REJECTED.</param>
/// <param name="Details">statusDetails pairs; <see cref="StatusDetails.Limit"/> applies AWS's limits.</param>
public sealed record JobOutcome(JobStatus Status, IReadOnlyList<KeyValuePair<string, string>> Details)
{
    /// <summary>
    /// Restart the agent once the service accepted this outcome (a rotated certificate: the connection is built from
    /// agent.json at start). Not persisted: a restart before the report starts on the new agent.json anyway.
    /// </summary>
    public bool RestartAfterReport { get; init; }

    /// <summary>SUCCEEDED with details.</summary>
    public static JobOutcome Succeeded(params KeyValuePair<string, string>[] details) => new(JobStatus.Succeeded, details);

    /// <summary>FAILED with a reason first.</summary>
    public static JobOutcome Failed(string reason, params KeyValuePair<string, string>[] details) => new(JobStatus.Failed, [new("reason", reason), .. details]);

    /// <summary>REJECTED with a reason.</summary>
    public static JobOutcome Rejected(string reason) => new(JobStatus.Rejected, [new("reason", reason)]);
}
