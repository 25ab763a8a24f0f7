using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Sensors;

namespace ShelfAgent.Diagnostics;

/// <summary>doctor's checks of the files the agent reads and writes at start, with the same rules <c>run</c> applies.</summary>
public static class FileChecks
{
    /// <summary>One finding per unknown key (what <c>run</c> would warn about), or one ok line.</summary>
    public static IEnumerable<CheckResult> Config(AgentOptions options, IReadOnlyList<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(warnings);
        if (warnings.Count == 0)
        {
            return
            [
                new CheckResult(
                    "config",
                    CheckStatus.Ok,
                    $"{options.SourceFile}: thing {options.Device.ThingName}, store {options.Device.StoreId}, {options.Slots.Count} slots"),
            ];
        }

        return warnings.Select(w => new CheckResult(
            "config", CheckStatus.Warn, w + ": the agent runs with that key's default; fix the spelling (docs/configuration.md)"));
    }

    /// <summary>The calibration file parses (else <c>run</c> exits 78), and which load-cell slots it lacks.</summary>
    public static async Task<CheckResult> CalibrationAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new CalibrationStore(options.Calibration.Path);
        CalibrationFile file;
        try
        {
            file = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return new("calibration", CheckStatus.Fail, $"Calibration:Path: {e.Message}");
        }

        var hardware = options.Slots.Where(s => SensorFactory.IsHardware(s.Sensor)).ToList();
        var missing = hardware.Where(s => SlotSensors.CalibrationFor(s, file) is null).Select(s => s.Id).ToList();
        if (missing.Count > 0)
        {
            return new(
                "calibration",
                CheckStatus.Warn,
                $"{store.Path}: slot{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)} not calibrated (readings carry raw values only): " +
                $"run shelf-agent calibrate tare --slot {missing[0]}, then span");
        }

        var exists = File.Exists(store.Path);
        return new("calibration", CheckStatus.Ok, hardware.Count == 0
            ? $"{store.Path}: {(exists ? "valid" : "absent")}; no load-cell slots need it"
            : $"{store.Path}: all {hardware.Count} load-cell slot{(hardware.Count == 1 ? "" : "s")} calibrated");
    }

    /// <summary>The folders the shipped unit lets the service write (StateDirectory, LogsDirectory; /tmp is private but writable).</summary>
    private static readonly string[] UnitWritable = ["/var/lib/shelf-agent", "/var/log/shelf-agent", "/tmp", "/var/tmp"];

    /// <summary>The buffer's folder takes new files for the service user (else <c>run</c> exits 78).</summary>
    public static CheckResult BufferFolder(AgentOptions options, ServiceUserAccess access)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(access);
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Buffer.Path))!;
        if (folder == UnitWritable[0] && !Directory.Exists(folder))
        {
            return new(
                "buffer folder",
                CheckStatus.Ok,
                $"{folder} does not exist yet: systemd creates it for user {ServiceUserAccess.DefaultServiceUser} when the service starts " +
                "(StateDirectory=shelf-agent)");
        }

        if (access.WhyNotWritable(options.Buffer.Path) is { } why)
        {
            // A read-only mount is not fixed by an owner: only by a remount or another place.
            var fix = why.ReadOnlyMount is { } mount
                ? $"point Buffer:Path to a writable place, under /var/lib/shelf-agent (the unit's StateDirectory), " +
                  $"or remount {mount} read-write (mount -o remount,rw {mount})"
                : $"use a path under /var/lib/shelf-agent (the unit's StateDirectory), or chown {ServiceUserAccess.DefaultServiceUser} {folder}";
            return new("buffer folder", CheckStatus.Fail, $"Buffer:Path {options.Buffer.Path}: {why} (checked {access.Who}): {fix}");
        }

        return UnitWritable.Any(w => folder == w || folder.StartsWith(w + "/", StringComparison.Ordinal))
            ? new("buffer folder", CheckStatus.Ok, $"{folder} writable (checked {access.Who})")
            : new(
                "buffer folder",
                CheckStatus.Warn,
                $"{folder} writable (checked {access.Who}), but the shipped systemd unit (ProtectSystem=strict) lets the service write only " +
                $"/var/lib/shelf-agent and /var/log/shelf-agent: move Buffer:Path there, or add ReadWritePaths={folder} to the unit");
    }

    /// <summary>An unwritable <c>Logging:File</c> only costs the file log (the console goes to journald): a warning.</summary>
    public static CheckResult? LogFile(AgentOptions options, ServiceUserAccess access)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(access);
        if (string.IsNullOrWhiteSpace(options.Logging.File))
        {
            return null;
        }

        return access.WhyNotWritable(options.Logging.File) is { } why
            ? new(
                "log file",
                CheckStatus.Warn,
                $"Logging:File {options.Logging.File}: {why} (checked {access.Who}): the agent logs to journald only; " +
                "use /var/log/shelf-agent/agent.log (the unit's LogsDirectory)")
            : new("log file", CheckStatus.Ok, $"{options.Logging.File} writable (checked {access.Who})");
    }
}
