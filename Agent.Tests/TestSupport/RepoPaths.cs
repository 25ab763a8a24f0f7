namespace ShelfAgent.Tests.TestSupport;

/// <summary>Finds the repository root (the folder holding ShelfAgent.sln) and tools installed under it.</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ShelfAgent.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("ShelfAgent.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>node_modules installed by ./test.sh (npm install --prefix .tools).</summary>
    public static string NodeModules
    {
        get
        {
            var path = Path.Combine(Root, ".tools", "node_modules");
            if (!Directory.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: run ./test.sh (it runs npm install --prefix .tools ...).");
            }

            return path;
        }
    }
}
