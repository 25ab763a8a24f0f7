using System.Diagnostics;

namespace ShelfAgent.Tests.Storage;

/// <summary>
/// Runs the real shelf-agent with one folder bind-mounted read-only, as a read-only file system or systemd's
/// ProtectSystem= leaves it: in a private user and mount namespace (<c>unshare --user --map-root-user --mount</c>), so
/// the mount is real to the kernel, needs no privilege and vanishes with the process. The bind mount (not a tmpfs) keeps
/// the folder's owner and mode, so only the mount makes it unwritable.
/// </summary>
internal static class ReadOnlyMountNamespace
{
    public static async Task<(int ExitCode, string Output)> RunAgentAsync(string readOnlyFolder, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll");
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // mount(8) refuses "-o remount,bind,ro" on a mount it has not made itself: bind first, then remount read-only.
        const string script = "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec dotnet \"$@\"";
        foreach (var a in new[] { "--user", "--map-root-user", "--mount", "sh", "-c", script, readOnlyFolder, dll }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("unshare did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout + await stderr;
        // unshare(1) and mount(8) name themselves at the start of their errors; the agent never starts a line so.
        if (output.Split('\n').Any(line => line.StartsWith("unshare:", StringComparison.Ordinal) || line.StartsWith("mount:", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"this test needs user and mount namespaces (unshare from util-linux): {output}");
        }

        return (process.ExitCode, output);
    }
}
