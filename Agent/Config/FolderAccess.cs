namespace ShelfAgent.Config;

/// <summary>
/// Whether this process can create and write a file at a path: what the outbox (SQLite, its -wal and -shm
/// files and the .seq sidecar) and the file log need. It tries it (a probe file created and deleted at once)
/// rather than reading mode bits, so ACLs, read-only mounts and root's exceptions come out right.
/// </summary>
public static class FolderAccess
{
    /// <summary>Null when a file at <paramref name="filePath"/> can be created (or, if it exists, written); otherwise why not, in the user's words.</summary>
    public static string? WhyNotWritable(string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var full = Path.GetFullPath(filePath);
        var folder = Path.GetDirectoryName(full) ?? "/";

        // A missing folder is created at start; then its nearest existing ancestor must take new entries.
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                return $"{existing} is a file, not a folder";
            }

            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        try
        {
            var probe = Path.Combine(existing, $".shelf-agent-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (UnauthorizedAccessException)
        {
            return existing == folder
                ? $"permission denied: cannot create files in {folder}"
                : $"permission denied: cannot create {folder} (its nearest existing folder {existing} is not writable)";
        }
        catch (IOException e)
        {
            return $"cannot create files in {existing}: {e.Message}";
        }

        if (!File.Exists(full))
        {
            return null;
        }

        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return $"permission denied: {full} exists but cannot be written (its owner or mode is wrong)";
        }
        catch (IOException e)
        {
            return $"cannot write {full}: {e.Message}";
        }
    }
}
