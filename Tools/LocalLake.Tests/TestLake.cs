using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Tests;

/// <summary>A local lake in a private temporary folder, removed at dispose.</summary>
internal sealed class TestLake : IDisposable
{
    public TestLake()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("local-lake-test-").FullName;
        Store = LocalLakeStore.Open(Directory);
    }

    public string Directory { get; }

    public LocalLakeStore Store { get; }

    public object? Scalar(string sql) => Store.Query(sql).Rows[0][0];

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans /tmp eventually
        }
    }
}
