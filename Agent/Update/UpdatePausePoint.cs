using Microsoft.Extensions.Logging;

namespace ShelfAgent.Update;

/// <summary>
/// A fault-injection point for the kill tests (Agent.Tests/Integration/IotCore/Jobs/AgentUpdateKillTests): with
/// <c>SHELF_AGENT_TEST_PAUSE</c> naming a step of the switch (<see cref="Steps"/>), the agent logs that it reached it and
/// waits there until it is killed, so a test can SIGKILL the real process exactly between two steps. Unset (always, in
/// the field), every step goes straight on. Read once, at composition; never set by a unit or install.sh.
/// </summary>
/// <param name="pauseAt">The step to stop at, or null.</param>
/// <param name="logger">Where "paused at" is said (the test waits for that line).</param>
public sealed partial class UpdatePausePoint(string? pauseAt, ILogger logger)
{
    /// <summary>The environment variable naming the step.</summary>
    public const string Variable = "SHELF_AGENT_TEST_PAUSE";

    /// <summary>The steps, in the order an update passes them.</summary>
    public static readonly IReadOnlyList<string> Steps = ["after-download", "after-unpack", "after-switch", "before-commit", "after-commit"];

    /// <summary>Waits forever (until cancelled) when <paramref name="step"/> is the configured one; else returns at once.</summary>
    public async Task ReachedAsync(string step, CancellationToken cancellationToken)
    {
        if (pauseAt != step)
        {
            return;
        }

        LogPaused(logger, step, Variable);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6604, Level = LogLevel.Warning, Message = "agent-update: paused {Step} ({Variable}): waiting to be killed")]
    private static partial void LogPaused(ILogger logger, string step, string variable);
}
