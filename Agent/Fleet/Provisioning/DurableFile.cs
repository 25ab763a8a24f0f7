using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Fleet.Provisioning;

/// <summary>
/// Replaces a file so that a crash or power cut leaves either the old or the new content, never a mix: a temporary
/// file in the same folder, created with its final mode (a key is never readable by others, not even for an instant),
/// fsync, rename(2), fsync of the folder (rename is atomic, not durable). A replaced file's owner and group are kept.
/// </summary>
public static class DurableFile
{
    /// <summary>Owner read/write: private keys and the provisioning state.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read/write, group read: certificates (certs/README.md: 0640, group shelf-agent).</summary>
    public const UnixFileMode GroupReadable = Private | UnixFileMode.GroupRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically with <paramref name="mode"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temp = full + ".tmp";
        var owner = File.Exists(full) ? FileOwnership.Of(full) : null;
        // A stale temporary file from a killed run would keep its own mode: start from nothing.
        File.Delete(temp);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                // The umask may have narrowed the create mode: set it exactly.
                File.SetUnixFileMode(temp, mode);
            }

            if (owner is { } previous && FileOwnership.Of(temp) != previous)
            {
                // The replaced file's owner and group stay (as root; anyone else cannot give a file away and keeps it).
                FileOwnership.TrySet(temp, previous);
            }

            File.Move(temp, full, overwrite: true);
            SyncDirectory(directory);
        }
        finally
        {
            File.Delete(temp);
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
