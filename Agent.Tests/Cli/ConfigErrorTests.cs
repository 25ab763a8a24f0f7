using System.Diagnostics;
using ShelfAgent.Security;
using ShelfAgent.Tests.Storage;

namespace ShelfAgent.Tests.Cli;

/// <summary>
/// The first-ten-minutes mistakes through the real executable, as systemd would start it: each one a line
/// naming key and file, exit 78 (the unit does not restart on it), and never a stack trace.
/// </summary>
public sealed class ConfigErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new("config-errors");
    private readonly DevCertificateSet _certs;

    public ConfigErrorTests()
    {
        _certs = DevCertificateSet.Create(_dir.File("certs"), "shelf-cfg-01");
    }

    public void Dispose() => _dir.Dispose();

    private string Config(string buffer = "", string top = "", string slot = "", string sensor = "", string? certDir = null)
    {
        var path = _dir.File("agent.json");
        var certs = certDir is null
            ? (_certs.CaCertificate, _certs.DeviceCertificate, _certs.DeviceKey)
            : ($"{certDir}/ca.crt", $"{certDir}/d.crt", $"{certDir}/d.key");
        File.WriteAllText(path, $$"""
            {
              "Device": { "ThingName": "shelf-cfg-01", "StoreId": "store-0042" },
              "Mqtt": { "Host": "127.0.0.1", "Port": 1, "CaFile": "{{certs.Item1}}", "CertFile": "{{certs.Item2}}", "KeyFile": "{{certs.Item3}}" },
              "Buffer": { "Path": "{{_dir.File("outbox.db")}}"{{buffer}} },
              "Calibration": { "Path": "{{_dir.File("calibration.json")}}" }{{top}},
              "Slots": [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24{{slot}}, "Sensor": { "Type": "Simulated"{{sensor}} } } ]
            }
            """);
        return path;
    }

    private static void AssertNoStackTrace(string output)
    {
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs the agent as a user who cannot write a root-owned folder, as the service user cannot: as root
    /// (this test machine) through setpriv as nobody; otherwise as ourselves.
    /// </summary>
    private async Task<(int Code, string Output)> RunAsUnprivilegedAsync(params string[] args)
    {
        if (Environment.UserName != "root")
        {
            return await AgentProcess.RunAsync(args);
        }

        // nobody must read what the agent reads.
        foreach (var path in Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Append(_dir.Path))
        {
            File.SetUnixFileMode(path, Directory.Exists(path) ? (UnixFileMode)Convert.ToInt32("755", 8) : (UnixFileMode)Convert.ToInt32("644", 8));
        }

        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll") }
            .Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Run_exits_78_naming_Buffer_Path_and_the_file_when_the_folder_cannot_be_written()
    {
        var folder = Directory.CreateDirectory(_dir.File("state")).FullName;
        var config = Config();
        File.WriteAllText(config, File.ReadAllText(config).Replace(_dir.File("outbox.db"), Path.Combine(folder, "outbox.db"), StringComparison.Ordinal));
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("555", 8));

        var (code, output) = await RunAsUnprivilegedAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"{config}: Buffer:Path: permission denied: cannot create files in {folder}", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Run_exits_78_saying_remount_or_another_place_not_chown_when_the_buffer_folder_is_on_a_read_only_mount()
    {
        var folder = Directory.CreateDirectory(_dir.File("state")).FullName;
        var config = Config();
        File.WriteAllText(config, File.ReadAllText(config).Replace(_dir.File("outbox.db"), Path.Combine(folder, "outbox.db"), StringComparison.Ordinal));

        var (code, output) = await ReadOnlyMountNamespace.RunAgentAsync(folder, "run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains(
            $"{config}: Buffer:Path: read-only file system: cannot create files in {folder} ({folder} is mounted read-only)",
            output,
            StringComparison.Ordinal);
        Assert.Contains(
            "point Buffer:Path to a writable place (default folder /var/lib/shelf-agent, the unit's StateDirectory, " +
            $"writable under its ProtectSystem=strict) or remount {folder} read-write",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("chown", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Run_names_the_slot_by_id_and_says_both_values_when_LowStockAt_exceeds_Capacity()
    {
        var config = Config(slot: ", \"LowStockAt\": 30");

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"  {config}: Slots[A1].LowStockAt: 30 must not exceed Capacity 24", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Run_exits_78_naming_Logging_Format_and_the_file_when_the_format_is_unknown()
    {
        var config = Config(top: """, "Logging": { "File": "agent.log", "Format": "xml" }""");

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"{config}: Logging:Format: must be Text or CompactJson (was \"xml\")", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Run_exits_78_naming_Calibration_Path_when_the_calibration_file_is_corrupt()
    {
        var config = Config();
        await File.WriteAllTextAsync(_dir.File("calibration.json"), "{ \"Slots\": { \"A1\": { \"TareRaw\": ");

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"{config}: Calibration:Path: {_dir.File("calibration.json")} is not a valid calibration file", output, StringComparison.Ordinal);
        Assert.Contains("move it aside and calibrate again", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Run_gives_one_message_for_a_negative_capacity()
    {
        var config = Config();
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"Capacity\": 24", "\"Capacity\": -5", StringComparison.Ordinal));

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        var lines = output.Split('\n').Where(l => l.Contains("Slots[A1].Capacity", StringComparison.Ordinal)).ToList();
        Assert.Equal($"  {config}: Slots[A1].Capacity: must be from 1 to 100000 (was -5)", Assert.Single(lines));
    }

    [Fact]
    public async Task Run_says_a_word_given_for_a_sensor_number_must_be_a_number_naming_key_and_file()
    {
        var config = Config(sensor: """, "NoiseGrams": "loud" """);

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"{config}: Slots[A1].Sensor.NoiseGrams: must be a number (was \"loud\")", output, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Double", output, StringComparison.Ordinal);
        AssertNoStackTrace(output);
    }

    [Fact]
    public async Task Buffer_ranges_are_reported_once_by_the_outbox_validator()
    {
        var config = Config(buffer: """, "CommitWindowMs": 5000, "MaxBytes": 10""");

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Single(output.Split('\n'), l => l.Contains("Buffer:CommitWindowMs", StringComparison.Ordinal));
        Assert.Single(output.Split('\n'), l => l.Contains("Buffer:MaxBytes", StringComparison.Ordinal));
        Assert.Contains($"{config}: Buffer:CommitWindowMs: must be 0..1000 ms (was 5000)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_refuses_a_sampling_interval_shorter_than_the_commit_window_can_sustain()
    {
        var config = Config(top: """, "Sampling": { "IntervalMs": 10 }""");

        var (code, output) = await AgentProcess.RunAsync("run", "--config", config);

        Assert.Equal(78, code);
        Assert.Contains($"{config}: Sampling:IntervalMs: must be at least 50 ms for this shelf (was 10)", output, StringComparison.Ordinal);
        Assert.Contains("Buffer:CommitWindowMs 50", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sensors_read_warns_about_misspelled_keys_inside_a_sensor_block()
    {
        var config = Config(sensor: """, "Sampels": 3, "PicksPerHr": 90, "GpioChp": 0""");

        var (code, output) = await AgentProcess.RunAsync("sensors", "read", "--config", config, "--once");

        Assert.Equal(0, code);
        foreach (var (key, meant) in new[] { ("Sampels", "Samples"), ("PicksPerHr", "PicksPerHour"), ("GpioChp", "GpioChip") })
        {
            Assert.Contains($"{config}: Slots[A1].Sensor.{key}: unknown key, ignored (a typo of {meant}?)", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Sensors_read_works_on_a_device_whose_certificates_are_not_installed_yet()
    {
        var config = Config(certDir: "/etc/shelf-agent/not-yet");

        var (code, output) = await AgentProcess.RunAsync("sensors", "read", "--config", config, "--once");

        Assert.True(code == 0, output);
        Assert.Contains("A1 ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Mqtt:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buffer_stats_and_calibrate_do_not_ask_for_certificates()
    {
        var config = Config(certDir: "/etc/shelf-agent/not-yet", sensor: """, "Type": "Hx711", "DataLine": 5, "ClockLine": 6""");
        File.WriteAllText(config, File.ReadAllText(config).Replace("\"Type\": \"Simulated\", ", "", StringComparison.Ordinal));

        var (statsCode, stats) = await AgentProcess.RunAsync("buffer", "stats", "--config", config);
        var (tareCode, tare) = await AgentProcess.RunAsync("calibrate", "tare", "--config", config, "--slot", "A1", "--yes");

        Assert.DoesNotContain("Mqtt:", stats + tare, StringComparison.Ordinal);
        Assert.NotEqual(78, statsCode);
        Assert.Equal(69, tareCode); // this machine has no GPIO: the hardware is what stops it, not the missing certificate
        Assert.Contains("/dev/gpiochip0", tare, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sensors_scan_says_what_bus_takes_when_given_a_word()
    {
        var (code, output) = await AgentProcess.RunAsync("sensors", "scan", "--bus", "abc");

        Assert.Equal(64, code);
        Assert.Contains(
            "--bus takes an I2C bus number from 0 to 255, the N of /dev/i2c-N (1 on a Pi's header pins 3 and 5) (was \"abc\")",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("System.Int32", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_says_at_start_when_Logging_File_cannot_be_written()
    {
        var folder = Directory.CreateDirectory(_dir.File("logs")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("555", 8));
        var config = Config(top: $$""", "Logging": { "File": "{{folder}}/agent.log" }""");
        if (Environment.UserName == "root")
        {
            // As root only a path under a file is unwritable; the permission case is the setpriv test above.
            File.WriteAllText(config, File.ReadAllText(config).Replace($"{folder}/agent.log", $"{config}/agent.log", StringComparison.Ordinal));
        }

        await using var agent = AgentProcess.Start("run", "--config", config);
        await agent.WaitForOutputAsync("Logging:File");

        Assert.Contains("WRN ShelfAgent: " + config + ": Logging:File ", agent.Output, StringComparison.Ordinal);
        Assert.Contains("logging to the console (journald) only", agent.Output, StringComparison.Ordinal);
    }
}
