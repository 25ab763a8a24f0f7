namespace ShelfAgent.IotCore.Jobs;

/// <summary>What an operation that outlives a restart (<c>agent-update</c>) needs from the jobs client: its execution and an IN_PROGRESS report.</summary>
public interface IJobProgress
{
    /// <summary>The job's id.</summary>
    string JobId { get; }

    /// <summary>Reports IN_PROGRESS with these statusDetails (after the operation and attempt pairs).</summary>
    Task ReportAsync(IReadOnlyList<KeyValuePair<string, string>> details, CancellationToken cancellationToken);
}
