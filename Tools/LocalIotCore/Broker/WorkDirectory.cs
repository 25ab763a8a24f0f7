namespace ShelfAgent.LocalIot.Broker;

/// <summary>
/// A folder for a broker's or a core's files: a given one (kept at dispose: a state folder that outlives the process)
/// or a private temporary one (0700, removed at dispose).
/// </summary>
internal sealed class WorkDirectory : IDisposable
{
    private readonly bool _owned;

    private WorkDirectory(string path, bool owned)
    {
        Path = path;
        _owned = owned;
    }

    public string Path { get; }

    /// <summary>The given folder (created 0700 if missing), or a new temporary one named after <paramref name="prefix"/>.</summary>
    public static WorkDirectory Open(string? path, string prefix)
    {
        if (path is null)
        {
            return new WorkDirectory(Directory.CreateTempSubdirectory(prefix + "-").FullName, owned: true);
        }

        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new WorkDirectory(full, owned: false);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (!_owned)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file; the OS cleans the temporary folder eventually
        }
    }
}
