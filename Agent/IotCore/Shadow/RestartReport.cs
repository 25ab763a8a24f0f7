namespace ShelfAgent.IotCore.Shadow;

/// <summary>The shadow's <c>device.restarts</c>: runs of the agent that ended without being stopped (docs/shadow.md).</summary>
/// <param name="Watchdog">Runs that ended while the systemd watchdog was not fed (systemd killed and restarted them).</param>
/// <param name="Unclean">Other runs that ended without stopping: a crash, SIGKILL, out of memory, a power cut.</param>
/// <param name="Last"><c>watchdog</c> or <c>unclean</c>: the cause of the last counted restart; null when none.</param>
/// <param name="LastAt">When the agent started again after it; null when none.</param>
public sealed record RestartReport(long Watchdog, long Unclean, string? Last, DateTimeOffset? LastAt);
