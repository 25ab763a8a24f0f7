using System.Runtime.InteropServices;

namespace ShelfAgent.Clock;

/// <summary>
/// Asks Linux whether the clock is synchronised, two ways: the kernel's NTP state — <c>adjtimex(2)</c> with no modes
/// returns <c>TIME_ERROR</c> (5) while the clock is unsynchronised (STA_UNSYNC set), which is what
/// <c>timedatectl</c>'s "System clock synchronized" shows — and systemd-timesyncd's flag file
/// <c>/run/systemd/timesync/synchronized</c>, created once it first synchronised (systemd-timesyncd.service(8), systemd ≥ 250).
/// Either one saying yes is enough.
/// </summary>
public sealed partial class LinuxClockSync(string flagFile = LinuxClockSync.TimesyncFlag) : IClockSync
{
    /// <summary>systemd-timesyncd's "synchronised" flag file.</summary>
    public const string TimesyncFlag = "/run/systemd/timesync/synchronized";

    private const int TimeError = 5;

    /// <inheritdoc />
    public bool IsSynchronised()
    {
        if (File.Exists(flagFile))
        {
            return true;
        }

        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // struct timex is 208 bytes on 64-bit Linux; modes = 0 (first field) only reads.
            var timex = new byte[512];
            var state = Adjtimex(timex);
            return state >= 0 && state != TimeError;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "adjtimex")]
    private static partial int Adjtimex(byte[] timex);
}
