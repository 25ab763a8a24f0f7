using System.Globalization;

namespace ShelfAgent.Update;

/// <summary>
/// The health gate of a new version on trial (docs/jobs.md, <c>agent-update</c>): it commits once the broker has
/// acknowledged readings (a PUBACK needs a connection) with the watchdog fed all along; it rolls back when the watchdog
/// stalled, when it restarted too often, or when <c>Update:HealthWindowSeconds</c> passed without a PUBACK. Pure.
/// </summary>
public static class UpdateHealth
{
    /// <summary>Starts on trial before a crash loop rolls back (systemd's own guard, StartLimitBurst=5, comes after).</summary>
    public const int MaxTrialStarts = 4;

    /// <summary>The verdict and, for a rollback, the reason the job's FAILED carries.</summary>
    /// <param name="starts">Starts of the new version on trial, this one included.</param>
    /// <param name="onTrialFor">Time since its first start on trial.</param>
    /// <param name="window">Update:HealthWindowSeconds.</param>
    /// <param name="acknowledged">Readings were acknowledged by the broker since this start.</param>
    /// <param name="connected">Connected to the broker now (for the reason only).</param>
    /// <param name="stall">The watchdog's stall verdict when it stopped being fed, else null.</param>
    public static (HealthVerdict Verdict, string? Reason) Decide(
        int starts, TimeSpan onTrialFor, TimeSpan window, bool acknowledged, bool connected, string? stall)
    {
        if (starts > MaxTrialStarts)
        {
            return (HealthVerdict.RollBack, $"the new version restarted {starts - 1} times during its health window (crash loop)");
        }

        if (stall is not null)
        {
            return (HealthVerdict.RollBack, $"the new version's watchdog was not fed ({stall})");
        }

        if (acknowledged)
        {
            return (HealthVerdict.Commit, null);
        }

        if (onTrialFor >= window)
        {
            var seconds = ((long)window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return (HealthVerdict.RollBack, connected
                ? $"the new version connected but no readings were acknowledged (PUBACK) within Update:HealthWindowSeconds ({seconds} s)"
                : $"the new version did not connect to the broker within Update:HealthWindowSeconds ({seconds} s)");
        }

        return (HealthVerdict.Wait, null);
    }
}
