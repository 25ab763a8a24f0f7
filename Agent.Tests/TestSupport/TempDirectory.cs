namespace ShelfAgent.Tests.TestSupport;

/// <summary>A private temporary folder (0700) removed at dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "shelfagent-test")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a child process may still hold a file; the OS cleans /tmp eventually
        }
    }
}
