namespace ShelfAgent.Tests.Outbox;

/// <summary>A fresh directory under /tmp, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("shelfagent-buffer-").FullName;
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
            // A file still open by a test's abandoned outbox; /tmp is cleaned anyway.
        }
    }
}
