using System.Diagnostics;

namespace ShelfAgent.Tests.Integration.Outbox;

/// <summary>A tmpfs of a fixed size mounted on a folder for one test (needs root), unmounted when disposed.</summary>
public sealed class SmallDisk : IAsyncDisposable
{
    private SmallDisk(string path)
    {
        Path = path;
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount(8)'s <c>size=</c>, e.g. <c>20m</c>) on <paramref name="folder"/>.</summary>
    public static async Task<SmallDisk> MountAsync(string folder, string size)
    {
        Directory.CreateDirectory(folder);
        var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", folder);
        if (code != 0)
        {
            throw new InvalidOperationException($"This test mounts a {size} tmpfs and needs root (CAP_SYS_ADMIN): mount exited {code}: {output}");
        }

        return new SmallDisk(System.IO.Path.GetFullPath(folder));
    }

    public async ValueTask DisposeAsync()
    {
        // Lazy: a process that still holds a file there (a killed agent's last moments) does not keep the mount.
        await RunAsync("umount", "-l", Path);
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException($"{file} did not start");
        var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
