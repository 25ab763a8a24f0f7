namespace ShelfAgent.Clock;

/// <summary>
/// The time floor: the clock cannot really be earlier than the last time it was trusted, so a clock behind it is
/// wrong (a Raspberry Pi has no real-time clock and starts where its last image or fake-hwclock left it). The same idea
/// as systemd-timesyncd, which at boot moves the clock forward to the mtime of /var/lib/systemd/timesync/clock or to
/// its own build time (timesyncd.conf(5), systemd-timesyncd.service(8)). Pure: times in, verdict out.
/// </summary>
public static class TimeFloor
{
    /// <summary>
    /// The floor when none was persisted yet (first boot): no clock that runs this build is earlier than this build.
    /// Kept a little before the release so a test image made today is never judged behind.
    /// </summary>
    public static readonly DateTimeOffset BuildFloor = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The floor in force: the persisted one, never earlier than <see cref="BuildFloor"/>.</summary>
    public static DateTimeOffset Effective(DateTimeOffset? persisted)
        => persisted is { } p && p > BuildFloor ? p : BuildFloor;

    /// <summary>
    /// Trusted when the kernel reports the clock synchronised (NTP has set it) or it is at or past the floor.
    /// A synchronised clock behind the floor is still trusted: the floor was then written by a clock that ran fast.
    /// </summary>
    public static ClockVerdict Judge(DateTimeOffset now, DateTimeOffset floor, bool synchronised)
        => synchronised || now >= floor ? ClockVerdict.Trusted : ClockVerdict.BehindFloor;

    /// <summary>
    /// The floor to persist after a check: <paramref name="now"/> when the clock is trusted and has moved past the
    /// stored floor, otherwise null (nothing to write). Never moves the floor backwards.
    /// </summary>
    public static DateTimeOffset? Advance(DateTimeOffset now, DateTimeOffset floor, ClockVerdict verdict)
        => verdict == ClockVerdict.Trusted && now > floor ? now : null;

    /// <summary>What a technician reads in the log and in <c>doctor</c> while the clock is behind.</summary>
    public static string Explain(DateTimeOffset now, DateTimeOffset floor)
        => $"the system clock ({now:u}) is behind the last trusted time ({floor:u}) and not synchronised: TLS to the broker fails with " +
           "'certificate not yet valid' until network time sets it; readings are still buffered, marked timeUntrusted. " +
           "Check the network and NTP ('timedatectl timesync-status'; UDP port 123 open), or set the clock ('sudo date -s …')";
}
