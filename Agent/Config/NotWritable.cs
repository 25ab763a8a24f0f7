namespace ShelfAgent.Config;

/// <summary>Why a file cannot be created or written at a path (<see cref="FolderAccess"/>).</summary>
/// <param name="Reason">In the user's words, naming the path: <c>permission denied: cannot create files in /srv/shelf</c>.</param>
/// <param name="ReadOnlyMount">
/// The mount point when the file system there is mounted read-only, else null. Then no chown or chmod helps: the hint
/// must say to remount it read-write or to choose a writable place.
/// </param>
public sealed record NotWritable(string Reason, string? ReadOnlyMount = null)
{
    /// <summary>A read-only file system: <see cref="Reason"/> names it and where it is mounted.</summary>
    public static NotWritable OnReadOnlyMount(string what, string mountPoint)
        => new($"read-only file system: {what} ({mountPoint} is mounted read-only)", mountPoint);

    /// <summary>The reason, so the record reads as before where only text is wanted.</summary>
    public override string ToString() => Reason;
}
