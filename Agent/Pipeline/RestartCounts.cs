namespace ShelfAgent.Pipeline;

/// <summary>
/// How the agent's earlier runs ended, kept in <c>restarts.json</c> beside the buffer and reported in the shadow as
/// <c>device.restarts</c> (docs/shadow.md). A run that was stopped (SIGTERM, <c>systemctl stop|restart</c>, an update)
/// is not a restart worth counting; one that ended without stopping is: <see cref="Watchdog"/> when the watchdog had
/// stopped being fed (systemd then kills it, <c>WatchdogSec=</c>), <see cref="Unclean"/> otherwise (a crash, SIGKILL,
/// the kernel's OOM killer or <c>MemoryMax=</c>, a power cut, or a process so wedged it could not say it stalled).
/// Pure: <see cref="AtStart"/> is the only transition that counts.
/// </summary>
/// <param name="Run">How the last run stands: still running, stalled (watchdog not fed) or stopped cleanly.</param>
/// <param name="Watchdog">Runs that ended while the watchdog was not fed.</param>
/// <param name="Unclean">Runs that ended without stopping while the watchdog was fed (or not in use).</param>
/// <param name="Last">The cause of the last counted restart; null when none.</param>
/// <param name="LastAt">When the agent started again after it (wall clock); null when none.</param>
public sealed record RestartCounts(RunState Run, long Watchdog, long Unclean, RestartCause? Last, DateTimeOffset? LastAt)
{
    /// <summary>A device that never ran before.</summary>
    public static RestartCounts None { get; } = new(RunState.Stopped, 0, 0, null, null);

    /// <summary>This start: counts how the previous run ended and marks this one running.</summary>
    public RestartCounts AtStart(DateTimeOffset now) => Run switch
    {
        RunState.Stalled => this with { Run = RunState.Running, Watchdog = Watchdog + 1, Last = RestartCause.Watchdog, LastAt = now },
        RunState.Running => this with { Run = RunState.Running, Unclean = Unclean + 1, Last = RestartCause.Unclean, LastAt = now },
        _ => this with { Run = RunState.Running },
    };
}

/// <summary>Where the current (or last) run stands.</summary>
public enum RunState
{
    /// <summary>Stopped cleanly (or never ran).</summary>
    Stopped,

    /// <summary>Running, watchdog fed or not in use.</summary>
    Running,

    /// <summary>Running, but the watchdog is no longer fed: systemd kills it unless it recovers.</summary>
    Stalled,
}

/// <summary>Why the agent was started again.</summary>
public enum RestartCause
{
    /// <summary>The previous run ended while the watchdog was not fed.</summary>
    Watchdog,

    /// <summary>The previous run ended without stopping otherwise.</summary>
    Unclean,
}
