using System.Text.Json;
using ShelfAgent.Security;
using ShelfAgent.Tests.Outbox;
using ShelfAgent.Tests.Storage;

namespace ShelfAgent.Tests.Diagnostics;

/// <summary>doctor through the real executable, its output in a pipe as a script or a ticket gets it; no broker needed (--no-connect).</summary>
public sealed class DoctorFindingsTests : IDisposable
{
    private readonly TempDirectory _dir = new("doctor");
    private readonly DevCertificateSet _certs;

    public DoctorFindingsTests()
    {
        _certs = DevCertificateSet.Create(_dir.File("certs"), "shelf-doc-03");
    }

    public void Dispose() => _dir.Dispose();

    private string Config(string buffer, string extra = "", string sensorExtra = "")
    {
        var path = _dir.File("agent.json");
        File.WriteAllText(path, $$"""
            {
              "Device": { "ThingName": "shelf-doc-03", "StoreId": "store-0042" },
              "Mqtt": { "Host": "127.0.0.1", "Port": 8883, "CaFile": "{{_certs.CaCertificate}}", "CertFile": "{{_certs.DeviceCertificate}}",
                        "KeyFile": "{{_certs.DeviceKey}}" },
              "Buffer": { "Path": "{{buffer}}" },
              "Calibration": { "Path": "{{_dir.File("calibration.json")}}" }{{extra}},
              "Slots": [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "Sensor": { "Type": "Simulated"{{sensorExtra}} } } ]
            }
            """);
        return path;
    }

    [Fact]
    public async Task Doctor_prints_one_finding_per_line_in_a_pipe_however_long_the_fix()
    {
        // A long path makes the buffer finding far wider than 80 columns.
        var deep = Path.Combine(_dir.Path, string.Concat(Enumerable.Repeat("a-rather-long-folder-name/", 4)), "outbox.db");
        var config = Config(deep, sensorExtra: """, "Sampels": 3""");

        var (_, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.Matches("^(ok  |warn|FAIL) ", line));
        Assert.Contains(lines, line => line.Contains(deep, StringComparison.Ordinal) && line.Length > 120);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_reports_unknown_keys_instead_of_ok_config_when_run_would_warn()
    {
        var config = Config(_dir.File("outbox.db"), sensorExtra: """, "PicksPerHr": 90, "GpioChp": 1""");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        Assert.Equal(0, code);
        Assert.Contains(
            $"warn config             {config}: Slots[A1].Sensor.GpioChp: unknown key, ignored (a typo of GpioChip?)",
            output,
            StringComparison.Ordinal);
        Assert.Contains("Slots[A1].Sensor.PicksPerHr: unknown key", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ok   config", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_the_calibration_file_naming_key_and_file_when_it_is_corrupt()
    {
        var config = Config(_dir.File("outbox.db"));
        await File.WriteAllTextAsync(_dir.File("calibration.json"), "{ \"Slots\": { \"A1\": ");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        Assert.Equal(78, code);
        Assert.Contains(
            $"FAIL calibration        Calibration:Path: {_dir.File("calibration.json")} is not a valid calibration file",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_the_buffer_folder_checked_as_the_service_user_when_that_user_cannot_write_it()
    {
        // Root can write a 0555 folder; the service's user (here: nobody, as under sudo on a device) cannot.
        var folder = Directory.CreateDirectory(_dir.File("state")).FullName;
        File.SetUnixFileMode(folder, (UnixFileMode)Convert.ToInt32("555", 8));
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        var config = Config(Path.Combine(folder, "outbox.db"));

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect", "--as-user", "nobody");

        Assert.Equal(78, code);
        Assert.Contains(Environment.UserName == "root" ? "(checked as user nobody)" : "(checked as user", output, StringComparison.Ordinal);
        Assert.Contains(
            $"FAIL buffer folder      Buffer:Path {folder}/outbox.db: permission denied: cannot create files in {folder} (checked as user ",
            output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_fails_a_buffer_folder_on_a_read_only_mount_with_a_remount_hint_instead_of_chown()
    {
        var folder = Directory.CreateDirectory(_dir.File("state")).FullName;
        var config = Config(Path.Combine(folder, "outbox.db"));

        var (code, output) = await ReadOnlyMountNamespace.RunAgentAsync(folder, "doctor", "--config", config, "--no-connect", "--as-user", "root");

        Assert.Equal(78, code);
        Assert.Contains(
            $"FAIL buffer folder      Buffer:Path {folder}/outbox.db: read-only file system: cannot create files in {folder} " +
            $"({folder} is mounted read-only) (checked as user root): point Buffer:Path to a writable place, " +
            $"under /var/lib/shelf-agent (the unit's StateDirectory), or remount {folder} read-write (mount -o remount,rw {folder})",
            output,
            StringComparison.Ordinal);
        Assert.DoesNotContain("chown", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_shows_a_buffered_reading_from_the_future_as_a_clock_problem()
    {
        var db = _dir.File("outbox.db");
        await using (var outbox = await OutboxTestData.OpenAsync(db))
        {
            await outbox.AppendAsync([OutboxTestData.Reading(1, at: DateTimeOffset.UtcNow.AddHours(3))], CancellationToken.None);
        }

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", Config(db), "--no-connect");

        Assert.Equal(69, code);
        Assert.Matches("FAIL clock +the oldest buffered reading is stamped 3.0 h ahead of the clock now .*: the clock was stepped back", output);
    }

    [Fact]
    public async Task Doctor_json_lists_every_finding_and_the_exit_code_for_scripts()
    {
        var config = Config(_dir.File("outbox.db"));
        await File.WriteAllTextAsync(_dir.File("calibration.json"), "not json");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect", "--json");

        Assert.Equal(78, code);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(78, doc.RootElement.GetProperty("exitCode").GetInt32());
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("check").GetString() == "calibration" && f.GetProperty("status").GetString() == "fail");
        Assert.Contains(findings, f => f.GetProperty("check").GetString() == "clock" && f.GetProperty("status").GetString() == "ok");
    }

    [Fact]
    public async Task Doctor_lists_config_problems_one_per_line_and_exits_78()
    {
        var config = Config(_dir.File("outbox.db"), extra: """, "Publish": { "IntervalMs": "soon" }""");

        var (code, output) = await AgentProcess.RunAsync("doctor", "--config", config, "--no-connect");

        Assert.Equal(78, code);
        Assert.Contains($"FAIL config             {config}: Publish:IntervalMs: must be a whole number", output, StringComparison.Ordinal);
    }
}
