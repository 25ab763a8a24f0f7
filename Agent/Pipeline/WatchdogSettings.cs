using System.Globalization;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Whether systemd asked this process for watchdog keep-alives, and how often: the rules of sd_watchdog_enabled(3).
/// systemd sets <c>WATCHDOG_USEC</c> when the unit has <c>WatchdogSec=</c>, and <c>WATCHDOG_PID</c> to the main
/// process; a process whose PID differs (a child that inherited the environment) must not send keep-alives.
/// </summary>
public static class WatchdogSettings
{
    /// <summary>
    /// The watchdog timeout from <c>WATCHDOG_USEC</c>, or <see langword="null"/> when there is none: variable unset,
    /// not a positive integer, or <c>WATCHDOG_PID</c> set and not <paramref name="ownPid"/>.
    /// </summary>
    public static TimeSpan? Timeout(string? watchdogUsec, string? watchdogPid, int ownPid)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0)
        {
            return null;
        }

        // sd_watchdog_enabled(3): "If WATCHDOG_PID is set ... and does not match the PID of the calling process ... 0 is returned."
        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != ownPid))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>The timeout this process was given, from its environment.</summary>
    public static TimeSpan? FromEnvironment() => Timeout(
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        Environment.GetEnvironmentVariable("WATCHDOG_PID"),
        Environment.ProcessId);

    /// <summary>How often to send <c>WATCHDOG=1</c>: half the timeout, as sd_watchdog_enabled(3) recommends.</summary>
    public static TimeSpan PingPeriod(TimeSpan timeout) => timeout / 2;
}
