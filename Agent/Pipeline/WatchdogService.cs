using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Sends <c>WATCHDOG=1</c> every half <c>WATCHDOG_USEC</c> (sd_watchdog_enabled(3)) while <see cref="WatchdogRule"/>
/// finds the pipeline moving, and nothing while it does not: systemd then restarts the agent (<c>WatchdogSec=</c>,
/// systemd.service(5)). Does nothing unless systemd asked for a watchdog (<paramref name="timeout"/> set) and
/// <paramref name="notifier"/> has a socket. Logs a stall once, and the recovery once; marks both in the
/// <paramref name="restarts"/> ledger, so a restart after a stall is counted as the watchdog's.
/// </summary>
public sealed partial class WatchdogService(
    ISystemdNotifier? notifier,
    TimeSpan? timeout,
    WatchdogBounds bounds,
    PipelineProgress progress,
    TimeProvider time,
    ILogger<WatchdogService> logger,
    RestartLedger? restarts = null) : BackgroundService
{
    private static readonly ServiceState Keepalive = new("WATCHDOG=1");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (notifier is not { IsEnabled: true } || timeout is not { } t)
        {
            return;
        }

        var period = WatchdogSettings.PingPeriod(t);
        LogArmed(logger, (long)t.TotalMilliseconds, (long)bounds.Sampling.TotalMilliseconds, (long)bounds.Publishing.TotalMilliseconds);
        using var timer = new PeriodicTimer(period, time);
        var last = WatchdogVerdict.Healthy;
        do
        {
            var snapshot = progress.Snapshot();
            var verdict = WatchdogRule.Check(snapshot, bounds);
            if (verdict == WatchdogVerdict.Healthy)
            {
                notifier.Notify(Keepalive);
                if (last != WatchdogVerdict.Healthy)
                {
                    LogRecovered(logger);
                    await MarkAsync(RunState.Running, stoppingToken).ConfigureAwait(false);
                }
            }
            else if (verdict != last)
            {
                var since = verdict == WatchdogVerdict.SamplingStalled ? snapshot.SinceCommit : snapshot.SinceAck;
                progress.Stalled(verdict.ToString());
                LogStalled(logger, verdict, (long)since.TotalSeconds, (long)t.TotalSeconds);
                await MarkAsync(RunState.Stalled, stoppingToken).ConfigureAwait(false);
            }

            last = verdict;
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private Task MarkAsync(RunState run, CancellationToken cancellationToken)
        => restarts is null ? Task.CompletedTask : restarts.MarkAsync(run, cancellationToken);

    [LoggerMessage(
        EventId = 4001,
        Level = LogLevel.Information,
        Message = "systemd watchdog armed: timeout {TimeoutMs} ms; " +
            "fed while sampling commits within {SamplingMs} ms and publishing moves within {PublishingMs} ms")]
    private static partial void LogArmed(ILogger logger, long timeoutMs, long samplingMs, long publishingMs);

    [LoggerMessage(
        EventId = 4002,
        Level = LogLevel.Error,
        Message = "Watchdog no longer fed ({Verdict}: no progress for {Seconds} s); " +
            "systemd restarts the agent once WatchdogSec ({TimeoutSeconds} s) passes without a keep-alive")]
    private static partial void LogStalled(ILogger logger, WatchdogVerdict verdict, long seconds, long timeoutSeconds);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "The pipeline moves again; watchdog fed")]
    private static partial void LogRecovered(ILogger logger);
}
