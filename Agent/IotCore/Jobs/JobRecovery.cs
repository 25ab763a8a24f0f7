using System.Globalization;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// The restart-recovery state machine (issue 14, "A job in progress survives a restart of the agent and is finished or
/// failed, never left IN_PROGRESS"). Pure: the persisted <see cref="JobRecord"/> and the execution start-next returned
/// in, the decision out. start-next returns an execution that is already IN_PROGRESS before a QUEUED one (Jobs API,
/// StartNextPendingJobExecution), so after a restart the service hands back the job that was interrupted, and the
/// record says how far the agent got:
/// <list type="bullet">
/// <item>no record for it: a new execution, run it (attempt 1);</item>
/// <item>finished: the outcome is known, only the final update was lost: report it, do not run again;</item>
/// <item>running, an operation that is safe to repeat (config-update merges the same keys, report-diagnostics reports
/// again, upload-readings uploads the same window, profiles-update resumes its download and applies the same release) and
/// fewer than <see cref="MaxAttempts"/> attempts: run it again;</item>
/// <item>rotate-certificate, running: agent.json still names the certificate it named when the job started (the switch
/// did not happen; the atomic switch means the agent uses one whole identity, old or new) and fewer than
/// <see cref="MaxAttempts"/> attempts: run it again (the interrupted run's certificate, if AWS made one, stays unused);
/// agent.json names another one: the switch happened, only the report was lost: SUCCEEDED;</item>
/// <item>running otherwise — a rotation whose record predates the identity field, an unreadable document, or attempts
/// used up (the operation itself may be what kills the agent): FAILED with why.</item>
/// </list>
/// </summary>
public static class JobRecovery
{
    /// <summary>Starts of one execution before a restart stops retrying it.</summary>
    public const int MaxAttempts = 2;

    /// <summary>Starts of one agent-update execution (it needs 2–3: switch, trial, maybe rollback) before it is FAILED.</summary>
    public const int MaxUpdateStarts = 10;

    /// <summary>Decides what to do with <paramref name="offered"/> given what was persisted.</summary>
    /// <param name="saved">The persisted record, if any.</param>
    /// <param name="offered">The execution start-next returned.</param>
    /// <param name="operation">The document's operation (null when unreadable).</param>
    /// <param name="identity">The certificate agent.json names at this start (Mqtt:CertFile), for rotate-certificate.</param>
    public static JobDecision Decide(JobRecord? saved, JobExecution offered, string? operation, string? identity = null)
    {
        ArgumentNullException.ThrowIfNull(offered);
        if (saved is null || !saved.IsFor(offered))
        {
            var kept = operation == RotateCertificateJob.Name ? identity : null;
            return new(JobAction.Run, new JobRecord(offered.JobId, offered.ExecutionNumber, operation, JobPhase.Running, 1, null, kept), null);
        }

        if (saved.Phase == JobPhase.Finished && saved.Outcome is { } known)
        {
            return new(JobAction.Report, saved, known);
        }

        var attempts = saved.Attempts.ToString(CultureInfo.InvariantCulture);
        // agent-update restarts the agent by design (switch, then the health window on the new version, maybe a rollback)
        // and keeps its own record (update.state) of how far it got: each start goes on from there.
        if (saved.Operation == AgentUpdateJob.Name && saved.Attempts < MaxUpdateStarts)
        {
            return new(JobAction.Run, saved with { Attempts = saved.Attempts + 1 }, null);
        }

        if (saved.Operation == RotateCertificateJob.Name && saved.Identity is { } before && identity is not null)
        {
            if (before != identity)
            {
                // The switch is the rotation's last step (after the new certificate connected): it is done.
                var done = JobOutcome.Succeeded(
                    new("result", "agent.json was switched to the new certificate before the restart; the agent runs on it"),
                    new("certificate", Path.GetFileName(identity)));
                return new(JobAction.Report, saved with { Phase = JobPhase.Finished, Outcome = done }, done);
            }

            if (saved.Attempts < MaxAttempts)
            {
                return new(JobAction.Run, saved with { Attempts = saved.Attempts + 1 }, null);
            }
        }

        if (IsSafeToRepeat(saved.Operation) && saved.Attempts < MaxAttempts)
        {
            return new(JobAction.Run, saved with { Attempts = saved.Attempts + 1 }, null);
        }

        var why = saved.Operation == RotateCertificateJob.Name
            ? "the agent restarted during the certificate rotation; it kept whichever whole identity agent.json names " +
              "(the old one unless the switch completed); queue the job again to rotate"
            : $"the agent restarted during {saved.Operation ?? "the job"} {attempts} time{(saved.Attempts == 1 ? "" : "s")}; not retried again";
        var failed = JobOutcome.Failed(why, new KeyValuePair<string, string>("attempts", attempts));
        return new(JobAction.Report, saved with { Phase = JobPhase.Finished, Outcome = failed }, failed);
    }

    /// <summary>The record once the operation produced <paramref name="outcome"/>: persisted before the final update.</summary>
    public static JobRecord Finished(JobRecord running, JobOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(running);
        return running with { Phase = JobPhase.Finished, Outcome = outcome };
    }

    /// <summary>
    /// What a rejected final update means, by the Jobs API error code: the execution is gone or terminal
    /// (ResourceNotFound, InvalidStateTransition, TerminalStateReached) → forget it; the request was malformed
    /// (InvalidRequest, InvalidJson) → send the bare status; anything else (RequestThrottled, InternalError…) → later.
    /// </summary>
    public static JobUpdateRejection AfterRejectedUpdate(string? errorCode) => errorCode switch
    {
        "ResourceNotFound" or "InvalidStateTransition" or "TerminalStateReached" => JobUpdateRejection.Forget,
        "InvalidRequest" or "InvalidJson" => JobUpdateRejection.SendBare,
        _ => JobUpdateRejection.RetryLater,
    };

    // profiles-update: the download resumes, and applying the same release again replaces it with itself.
    private static bool IsSafeToRepeat(string? operation) =>
        operation is ConfigUpdateJob.Name or ReportDiagnosticsJob.Name or UploadReadingsJob.Name or ProfilesUpdateJob.Name;
}
