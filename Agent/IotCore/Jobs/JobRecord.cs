namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// The execution the agent is working on, persisted before the operation starts and again when its outcome is known,
/// deleted once the service accepted the final update: what lets a restart finish or fail the job instead of leaving it
/// IN_PROGRESS (<see cref="JobRecovery"/>).
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="ExecutionNumber">The execution of the job on this thing.</param>
/// <param name="Operation">The document's operation, or null when the document could not be read.</param>
/// <param name="Phase">Running, or finished with <paramref name="Outcome"/>.</param>
/// <param name="Attempts">How many times the operation was started for this execution.</param>
/// <param name="Outcome">The outcome to report when <see cref="JobPhase.Finished"/>.</param>
/// <param name="Identity">
/// rotate-certificate: the certificate agent.json named when the job started (Mqtt:CertFile), so a restart can tell whether
/// the switch to the new one happened.
/// </param>
public sealed record JobRecord(
    string JobId, long ExecutionNumber, string? Operation, JobPhase Phase, int Attempts, JobOutcome? Outcome, string? Identity = null)
{
    /// <summary>True when this record is about <paramref name="execution"/>.</summary>
    public bool IsFor(JobExecution execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return string.Equals(JobId, execution.JobId, StringComparison.Ordinal) && ExecutionNumber == execution.ExecutionNumber;
    }
}
