namespace ShelfAgent.Cloud.Tests;

/// <summary>Finds files of the repository from the test's output folder (walks up to ShelfAgent.sln).</summary>
public static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ShelfAgent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ShelfAgent.sln not found above {AppContext.BaseDirectory}.");
    }
}
