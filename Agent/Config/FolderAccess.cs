using ShelfAgent.Storage;

namespace ShelfAgent.Config;

/// <summary>
/// Whether this process can create and write a file at a path: what the outbox (SQLite, its -wal and -shm
/// files and the .seq sidecar) and the file log need. It tries it (a probe file created and deleted at once)
/// rather than reading mode bits, so ACLs and root's exceptions come out right; a read-only mount is asked of the
/// kernel first (<see cref="ReadOnlyMount"/>), because no change of owner fixes that one.
/// </summary>
public static class FolderAccess
{
    /// <summary>Null when a file at <paramref name="filePath"/> can be created (or, if it exists, written); otherwise why not, in the user's words.</summary>
    public static NotWritable? WhyNotWritable(string filePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var full = Path.GetFullPath(filePath);
        var folder = Path.GetDirectoryName(full) ?? "/";

        // A missing folder is created at start; then its nearest existing ancestor must take new entries.
        var existing = NearestExisting(folder, out var notAFolder);
        if (notAFolder is not null)
        {
            return new NotWritable($"{notAFolder} is a file, not a folder");
        }

        if (ReadOnly(full, folder, existing) is { } readOnly)
        {
            return readOnly;
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
            return new NotWritable(existing == folder
                ? $"permission denied: cannot create files in {folder}"
                : $"permission denied: cannot create {folder} (its nearest existing folder {existing} is not writable)");
        }
        catch (IOException e)
        {
            return new NotWritable($"cannot create files in {existing}: {e.Message}");
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
            return new NotWritable($"permission denied: {full} exists but cannot be written (its owner or mode is wrong)");
        }
        catch (IOException e)
        {
            return new NotWritable($"cannot write {full}: {e.Message}");
        }
    }

    /// <summary>
    /// The read-only mount under <paramref name="full"/> (the file, when it exists: a file can be bind-mounted on its
    /// own) or its folder's nearest existing ancestor <paramref name="existing"/>, said as a problem; null when neither is.
    /// </summary>
    public static NotWritable? ReadOnly(string full, string folder, string existing)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(existing);
        if (ReadOnlyMount.Of(existing) is { } mount)
        {
            return NotWritable.OnReadOnlyMount(existing == folder ? $"cannot create files in {folder}" : $"cannot create {folder}", mount);
        }

        return File.Exists(full) && ReadOnlyMount.Of(full) is { } fileMount
            ? NotWritable.OnReadOnlyMount($"{full} cannot be written", fileMount)
            : null;
    }

    /// <summary>The nearest folder at or above <paramref name="folder"/> that exists; <paramref name="notAFolder"/> is a file met on the way.</summary>
    private static string NearestExisting(string folder, out string? notAFolder)
    {
        notAFolder = null;
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                notAFolder = existing;
                return existing;
            }

            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        return existing;
    }
}
