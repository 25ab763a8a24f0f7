using ShelfAgent.Artifacts;
using ShelfAgent.Contract;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Update;

/// <summary>
/// <c>agent-update</c> (docs/jobs.md): one resumable state machine over update.state, run again at every start while the
/// job is in progress. Old version: fetch (resumed) and verify → unpack beside the running release → record
/// <c>switched</c> → switch <c>current</c> → report IN_PROGRESS and restart through systemd. New version: report
/// <c>phase: verifying</c> and wait for <see cref="UpdateGuardService"/>'s verdict → SUCCEEDED. Previous version after a
/// rollback: FAILED with the reason. A SIGKILL between any two steps leaves update.state naming the last step done, and
/// the next start goes on from there.
/// </summary>
/// <param name="fetcher">Download and verification into the update folder.</param>
/// <param name="releases">The install folder.</param>
/// <param name="records">update.state.</param>
/// <param name="runningVersion">This agent's version.</param>
/// <param name="trial">This start's trial verdict (the guard's).</param>
/// <param name="hasKeys">Update:TrustedKeys holds at least one key.</param>
/// <param name="pause">The kill tests' pause point (<see cref="UpdatePausePoint"/>); none in the field.</param>
public sealed class AgentUpdateOperation(
    ArtifactFetcher fetcher,
    ReleaseStore releases,
    UpdateRecordFile records,
    string runningVersion,
    UpdateTrial trial,
    bool hasKeys,
    UpdatePausePoint? pause = null) : IJobOperation
{
    /// <inheritdoc />
    public string Name => AgentUpdateJob.Name;

    /// <inheritdoc />
    public Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("agent-update needs its job's execution (JobDispatcher passes it)");

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, IJobProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var job = (AgentUpdateJob)document;
        var saved = records.Load(out _);
        var record = saved is not null && saved.JobId == progress.JobId && saved.To == job.Version ? saved : null;
        if (record is null)
        {
            if (Refusal(job) is { } refused)
            {
                return refused;
            }

            if (ReleaseVersion.Compare(job.Version, runningVersion) == 0)
            {
                return JobOutcome.Succeeded(Pair("version", runningVersion), Pair("note", "already running this version"));
            }

            record = new UpdateRecord(progress.JobId, runningVersion, job.Version, UpdatePhase.Fetching);
            await records.SaveAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return record.Phase switch
        {
            UpdatePhase.Fetching or UpdatePhase.Unpacked => await InstallAsync(job, record, progress, cancellationToken).ConfigureAwait(false),
            UpdatePhase.Switched => await SwitchedAsync(record, progress, cancellationToken).ConfigureAwait(false),
            UpdatePhase.Committed => Committed(record),
            _ => RolledBack(record),
        };
    }

    private JobOutcome? Refusal(AgentUpdateJob job)
    {
        if (!hasKeys)
        {
            return JobOutcome.Rejected("this device has no Update:TrustedKeys: it accepts no update (add the fleet's update public key to agent.json)");
        }

        return ReleaseVersion.Compare(job.Version, runningVersion) < 0 && !job.AllowDowngrade
            ? JobOutcome.Rejected($"version {job.Version} is older than the running {runningVersion}: a downgrade needs \"allowDowngrade\": true")
            : null;
    }

    private async Task<JobOutcome> InstallAsync(AgentUpdateJob job, UpdateRecord record, IJobProgress progress, CancellationToken cancellationToken)
    {
        if (record.From != runningVersion)
        {
            return JobOutcome.Failed($"the update began on version {record.From} but {runningVersion} runs now; queue the job again");
        }

        VerifiedArtifact archive;
        try
        {
            await progress.ReportAsync([Pair("phase", "downloading"), Pair("version", job.Version)], cancellationToken).ConfigureAwait(false);
            archive = await fetcher.FetchAsync(job.Archive, cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactException e)
        {
            return Failed(record, e.Message, Pair("check", e.Code));
        }

        await PauseAsync("after-download", cancellationToken).ConfigureAwait(false);
        try
        {
            await releases.UnpackAsync(archive.Path, job.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return Failed(record, $"the archive was refused: {e.Message}", Pair("check", "archive"));
        }

        await records.SaveAsync(record with { Phase = UpdatePhase.Unpacked }, cancellationToken).ConfigureAwait(false);
        await PauseAsync("after-unpack", cancellationToken).ConfigureAwait(false);
        // Recorded before the switch: rollback.sh and the guard act only on "switched", and a kill between the record and
        // the link leaves current on the old release, which the next start switches again (SwitchedAsync).
        record = record with { Phase = UpdatePhase.Switched };
        await records.SaveAsync(record, CancellationToken.None).ConfigureAwait(false);
        releases.Switch(record.To);
        File.Delete(archive.Path);
        await PauseAsync("after-switch", cancellationToken).ConfigureAwait(false);
        return Restart(record, archive.KeyId);
    }

    private async Task<JobOutcome> SwitchedAsync(UpdateRecord record, IJobProgress progress, CancellationToken cancellationToken)
    {
        if (runningVersion != record.To)
        {
            // Still the old version: the switch did not happen, or the restart did not come yet.
            if (releases.CurrentVersion() != record.To)
            {
                releases.Switch(record.To);
            }

            return Restart(record, null);
        }

        await progress.ReportAsync([Pair("phase", "verifying"), Pair("version", record.To), Pair("previous", record.From)], cancellationToken)
            .ConfigureAwait(false);
        var verdict = await trial.Verdict.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (verdict.Phase == UpdatePhase.Committed)
        {
            return Committed(verdict);
        }

        // Rolled back: the guard is stopping this process; the previous version reports FAILED at its start.
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        return RolledBack(verdict);
    }

    // The previous release stays in releases/ for a manual rollback (uninstall.sh removes them all).
    private static JobOutcome Committed(UpdateRecord record) => JobOutcome.Succeeded(Pair("version", record.To), Pair("previous", record.From));

    private static JobOutcome RolledBack(UpdateRecord record) => JobOutcome.Failed(
        record.Reason ?? "rolled back", Pair("phase", "rolled-back"), Pair("version", record.From), Pair("refused", record.To));

    private JobOutcome Failed(UpdateRecord record, string reason, params KeyValuePair<string, string>[] details)
    {
        releases.Remove(record.To);
        return JobOutcome.Failed(reason, [Pair("version", runningVersion), .. details]);
    }

    private static JobOutcome Restart(UpdateRecord record, string? keyId)
    {
        KeyValuePair<string, string>[] details = keyId is null
            ? [Pair("phase", "restarting"), Pair("version", record.To)]
            : [Pair("phase", "restarting"), Pair("version", record.To), Pair("key", keyId)];
        return new JobOutcome(JobStatus.InProgress, details) { RestartAfterReport = true };
    }

    private Task PauseAsync(string step, CancellationToken cancellationToken) =>
        pause?.ReachedAsync(step, cancellationToken) ?? Task.CompletedTask;

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);
}
