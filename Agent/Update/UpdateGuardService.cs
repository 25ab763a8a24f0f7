using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ShelfAgent.Update;

/// <summary>
/// At every start: when update.state says an update is switched and this is the new version, it is on trial. The guard
/// counts the start, then watches the health (<see cref="UpdateHealth"/>) until it commits — update.state
/// <c>committed</c> — or rolls back by itself: <c>current</c> back to the previous release, update.state
/// <c>rolled-back</c> with the reason, and a stop, so systemd starts the previous release, which reports the job FAILED.
/// It needs no broker and no Jobs service: a version that cannot connect is rolled back all the same.
/// </summary>
public sealed partial class UpdateGuardService(
    UpdateRecordFile records,
    ReleaseStore releases,
    string runningVersion,
    TimeSpan window,
    Func<HealthSample> health,
    UpdateTrial trial,
    Action stop,
    TimeProvider time,
    ILogger<UpdateGuardService> logger,
    UpdatePausePoint? pause = null) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var record = records.Load(out _);
        if (record is { Phase: UpdatePhase.RolledBack } && record.To == runningVersion && releases.CurrentVersion() == record.To)
        {
            // Killed between writing rolled-back and switching back: finish the rollback.
            releases.Switch(record.From);
            LogRolledBack(logger, record.To, record.From, record.Reason ?? "rollback finished after a restart");
            stop();
            return;
        }

        if (record is not { Phase: UpdatePhase.Switched } || record.To != runningVersion)
        {
            if (record is { Phase: UpdatePhase.Committed or UpdatePhase.RolledBack })
            {
                trial.Decided(record);
            }

            return;
        }

        // Counted before anything else can fail: a version that dies at start still adds up to a crash loop.
        record = record with { Starts = record.Starts + 1, TrialSince = record.TrialSince ?? time.GetUtcNow() };
        await records.SaveAsync(record, stoppingToken).ConfigureAwait(false);
        LogOnTrial(logger, record.To, record.From, record.Starts, (long)window.TotalSeconds);
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            var sample = health();
            var (verdict, reason) = UpdateHealth.Decide(
                record.Starts, time.GetUtcNow() - record.TrialSince!.Value, window, sample.Acknowledged, sample.Connected, sample.Stall);
            if (verdict == HealthVerdict.Commit)
            {
                await PauseAsync("before-commit", stoppingToken).ConfigureAwait(false);
                record = record with { Phase = UpdatePhase.Committed };
                await records.SaveAsync(record, CancellationToken.None).ConfigureAwait(false);
                LogCommitted(logger, record.To);
                await PauseAsync("after-commit", stoppingToken).ConfigureAwait(false);
                trial.Decided(record);
                return;
            }

            if (verdict == HealthVerdict.RollBack)
            {
                await RollBackAsync(record, reason!).ConfigureAwait(false);
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private Task PauseAsync(string step, CancellationToken cancellationToken) =>
        pause?.ReachedAsync(step, cancellationToken) ?? Task.CompletedTask;

    private async Task RollBackAsync(UpdateRecord record, string reason)
    {
        // The record first: killed between the two, the next start (still the new version) sees rolled-back with current
        // not yet switched back, and the job switches it (AgentUpdateOperation); rollback.sh also acts only on switched.
        record = record with { Phase = UpdatePhase.RolledBack, Reason = reason };
        await records.SaveAsync(record, CancellationToken.None).ConfigureAwait(false);
        releases.Switch(record.From);
        LogRolledBack(logger, record.To, record.From, reason);
        trial.Decided(record);
        stop();
    }

    [LoggerMessage(EventId = 6601, Level = LogLevel.Warning,
        Message = "agent-update: version {To} is on trial (previous {From}, start {Starts}): committed once readings are acknowledged " +
            "within {WindowSeconds} s with the watchdog fed, else rolled back")]
    private static partial void LogOnTrial(ILogger logger, string to, string from, int starts, long windowSeconds);

    [LoggerMessage(EventId = 6602, Level = LogLevel.Information, Message = "agent-update: version {To} committed (readings acknowledged, watchdog fed)")]
    private static partial void LogCommitted(ILogger logger, string to);

    [LoggerMessage(EventId = 6603, Level = LogLevel.Error,
        Message = "agent-update: version {To} rolled back to {From}: {Reason}; stopping so systemd starts {From}")]
    private static partial void LogRolledBack(ILogger logger, string to, string from, string reason);
}
