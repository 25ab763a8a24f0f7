using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Storage;

/// <summary>
/// Replaces a small file so that after a power cut it holds either the old or the new content, never a mix:
/// write a temporary file beside it, fsync it, rename it over the target, fsync the directory (rename(2) is atomic
/// but not durable until the directory entry reaches the disk). Used for every state file the agent rewrites
/// (calibrations, demand, configuration, shadow state, device keys), so a Pi that loses power mid-write boots with a
/// whole file. A replaced file keeps its owner and group (as root): agent.json is <c>root:shelf-agent</c> on a device.
/// </summary>
public static class DurableFile
{
    /// <summary>0600: private keys and files holding credentials.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0640: certificates (certs/README.md: group shelf-agent reads them).</summary>
    public const UnixFileMode GroupReadable = Private | UnixFileMode.GroupRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically and durably.</summary>
    /// <param name="path">The file to replace; its directory is created when missing.</param>
    /// <param name="content">The whole new content.</param>
    /// <param name="mode">Unix permissions for the new file (e.g. 0600 for a key); null keeps the process umask's default.</param>
    /// <param name="cancellationToken">Cancels before the rename; the target is then unchanged.</param>
    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, UnixFileMode? mode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        var owner = File.Exists(path) ? FileOwnership.Of(path) : null;
        // A temporary file left by a killed run would keep its own (maybe wider) mode: the new one starts from nothing.
        File.Delete(temp);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                // Set at creation, so the content is never readable with wider permissions, even for an instant.
                options.UnixCreateMode = m;
            }

            var stream = new FileStream(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true); // fsync before the rename makes it visible
            }

            if (mode is { } exact && !OperatingSystem.IsWindows())
            {
                // The umask may have narrowed the create mode (a certificate must stay group-readable).
                File.SetUnixFileMode(temp, exact);
            }

            if (owner is { } previous && FileOwnership.Of(temp) != previous)
            {
                // Only root can give a file away; anyone else replaces their own files and keeps them.
                FileOwnership.TrySet(temp, previous);
            }

            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, path, overwrite: true);
            SyncDirectory(directory);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Deletes a file if present and makes the deletion durable.</summary>
    public static void Delete(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        File.Delete(path);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The mode of an existing file, or <paramref name="fallback"/>.</summary>
    public static UnixFileMode ModeOf(string path, UnixFileMode fallback) =>
        !OperatingSystem.IsWindows() && File.Exists(path) ? File.GetUnixFileMode(path) : fallback;

    private static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Libc.Open(directory, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd >= 0)
        {
            Libc.Fsync(fd);
            Libc.Close(fd);
        }
    }
}
