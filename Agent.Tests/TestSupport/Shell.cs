using System.Diagnostics;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>Runs a program to completion (release scripts, tar, systemd-analyze) and returns its exit code and output.</summary>
public static class Shell
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(bound.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs and fails the test with the output unless the exit code is 0.</summary>
    public static async Task<string> OkAsync(string program, params string[] args)
    {
        var (code, output) = await RunAsync(program, args);
        Assert.True(code == 0, $"{program} {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }
}
