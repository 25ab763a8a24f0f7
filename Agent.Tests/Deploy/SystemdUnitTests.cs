using System.Diagnostics;
using ShelfAgent.Tests.Integration;

namespace ShelfAgent.Tests.Deploy;

public sealed class SystemdUnitTests
{
    private static string Unit => Path.Combine(RepoPaths.Root, "systemd", "shelf-agent.service");

    [Fact]
    public async Task Unit_scores_as_hardened_when_systemd_analyze_checks_it()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            throw new InvalidOperationException("systemd-analyze is missing (Debian package systemd)");
        }

        var start = new ProcessStartInfo("systemd-analyze", ["security", "--offline=true", "--threshold=25", Unit])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(start)!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();

        // --threshold=25 means an exposure of 2.5 or less (OK); a bare unit scores 9.6.
        Assert.True(p.ExitCode == 0, output);
    }

    [Fact]
    public void Unit_does_not_restart_on_a_configuration_error_and_uses_notify()
    {
        var text = File.ReadAllText(Unit);

        Assert.Contains("RestartPreventExitStatus=78", text, StringComparison.Ordinal);
        Assert.Contains("Type=notify", text, StringComparison.Ordinal);
        Assert.Contains("ExecStart=/opt/shelf-agent/shelf-agent run --config /etc/shelf-agent/agent.json", text, StringComparison.Ordinal);
    }
}
