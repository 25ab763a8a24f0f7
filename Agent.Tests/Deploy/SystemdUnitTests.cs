using System.Diagnostics;

namespace ShelfAgent.Tests.Deploy;

public sealed class SystemdUnitTests
{
    private static string Unit => Path.Combine(RepoPaths.Root, "systemd", "shelf-agent.service");

    [Fact]
    public async Task Unit_exposure_is_at_most_1_5_when_systemd_analyze_checks_it()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            throw new InvalidOperationException("systemd-analyze is missing (Debian package systemd)");
        }

        // --threshold=15 means an exposure of 1.5 or less (a bare unit scores 9.6): the exit code says it, and
        // the printed figure is checked too so a change of systemd's threshold semantics cannot hide a regression.
        var start = new ProcessStartInfo("systemd-analyze", ["security", "--offline=true", "--threshold=15", Unit])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.True(p.ExitCode == 0, output);
        var match = System.Text.RegularExpressions.Regex.Match(output, @"Overall exposure level for shelf-agent\.service: (\d+\.\d)");
        Assert.True(match.Success, output);
        Assert.True(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) <= 1.5, output);
    }

    [Fact]
    public void Unit_denies_writable_executable_memory_because_the_release_has_no_jit()
    {
        // The linux-arm64 release is Native AOT (publish-profiles/linux-arm64.pubxml): no JIT, so nothing maps
        // memory writable and executable. A JIT build (the single-file fallback) needs MemoryDenyWriteExecute=no.
        Assert.Contains("MemoryDenyWriteExecute=yes", File.ReadAllText(Unit), StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_does_not_restart_on_a_configuration_error_and_uses_notify()
    {
        var text = File.ReadAllText(Unit);

        Assert.Contains("RestartPreventExitStatus=78", text, StringComparison.Ordinal);
        Assert.Contains("Type=notify", text, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/shelf-agent/current/shelf-agent run --config /etc/shelf-agent/agent.json", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_asks_for_the_watchdog_the_agent_feeds_from_its_main_process()
    {
        var text = File.ReadAllText(Unit);

        // WATCHDOG=1 comes from the agent's own (main) process, every half WatchdogSec (WatchdogService).
        Assert.Contains("WatchdogSec=60", text, StringComparison.Ordinal);
        Assert.Contains("NotifyAccess=main", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("TimeoutStopSec=20", StringComparison.Ordinal) > 0, "a clean stop needs its time");
    }
}
