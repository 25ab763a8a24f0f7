namespace ShelfAgent.Diagnostics;

/// <summary>
/// doctor's exit code from its findings, by class (docs/configuration.md, "doctor"):
/// 0 nothing failed (warnings allowed); 78 (EX_CONFIG) something on the device itself is wrong — config,
/// calibration file, buffer folder, private key — which <c>run</c> refuses or an audit flags; 69
/// (EX_UNAVAILABLE) the device is set up but cannot deliver — clock, certificate dates, buffer not draining,
/// DNS, broker. When both fail, 78: fix the device first.
/// </summary>
public static class DoctorExitCode
{
    /// <summary>Checks whose failure is a fix on the device's own files.</summary>
    public static IReadOnlySet<string> DeviceChecks { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "config", "calibration", "buffer folder", "private key", "log file",
    };

    /// <summary>0, 69 or 78.</summary>
    public static int For(IEnumerable<CheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var failed = results.Where(r => r.Status == CheckStatus.Fail).ToList();
        if (failed.Count == 0)
        {
            return 0;
        }

        return failed.Any(r => DeviceChecks.Contains(r.Check)) ? 78 : 69;
    }
}
