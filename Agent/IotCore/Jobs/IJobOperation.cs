namespace ShelfAgent.IotCore.Jobs;

/// <summary>One operation a job document can ask for (docs/jobs.md), run by <see cref="JobDispatcher"/>.</summary>
public interface IJobOperation
{
    /// <summary>The document's <c>operation</c> value this runs, e.g. <c>config-update</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Runs the operation for a parsed document of its kind and says how it ended. Throwing is a FAILED job with the
    /// message; cancellation (the agent stopping) leaves the job to the restart recovery.
    /// </summary>
    Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken);

    /// <summary>
    /// Runs with the execution at hand: an operation that reports progress or spans a restart overrides this. An outcome
    /// IN_PROGRESS with <see cref="JobOutcome.RestartAfterReport"/> is reported, the execution stays running, and the agent
    /// restarts; the next start runs it again to finish.
    /// </summary>
    Task<JobOutcome> RunAsync(JobDocument document, IJobProgress progress, CancellationToken cancellationToken) => RunAsync(document, cancellationToken);
}
