using System.Diagnostics;
using System.Text;

namespace ShelfAgent.LocalLake.Tests.Aws;

/// <summary>
/// Runs Tools/LocalLake/aws/evaluate-release.sh for real under bash, with <c>aws</c> on PATH replaced by fake-aws.py (the
/// CLI subcommands the script calls, over local folders) and <c>local-lake</c> by the one this test run built.
/// </summary>
internal sealed class FakeAwsEnvironment : IDisposable
{
    public const string Bucket = "shelfagent-test-model-artifacts";
    public const string WorkGroup = "shelfagent-test-pipeline";
    public const string Database = "shelfagent_test";

    public FakeAwsEnvironment()
    {
        Root = Directory.CreateTempSubdirectory("evaluate-release-test-").FullName;
        foreach (var folder in new[] { BucketFolder, TablesFolder, StateFolder, BinFolder })
        {
            Directory.CreateDirectory(folder);
        }

        var fake = Path.Combine(RepoRoot, "Tools", "LocalLake.Tests", "Aws", "fake-aws.py");
        Script("aws", $"exec python3 '{fake}' \"$@\"");
        BeforeLocalLake("");
    }

    /// <summary>A shell line run just before the real local-lake (e.g. another run storing its metrics meanwhile).</summary>
    public void BeforeLocalLake(string line) =>
        Script("local-lake", line + "\n" + $"exec dotnet '{Path.Combine(AppContext.BaseDirectory, "local-lake.dll")}' \"$@\"");

    public string Root { get; }

    /// <summary>The model-artifacts bucket: s3://<see cref="Bucket"/>/K is this folder's K (a local lake folder's layout).</summary>
    public string BucketFolder => Path.Combine(Root, "s3", Bucket);

    /// <summary>Athena's tables: &lt;table&gt;/dt=&lt;day&gt;/*.parquet.</summary>
    public string TablesFolder => Path.Combine(Root, "tables");

    public string StateFolder => Path.Combine(Root, "state");

    private string BinFolder => Path.Combine(Root, "bin");

    /// <summary>Every aws call the script made, one line each.</summary>
    public IReadOnlyList<string> Calls =>
        File.Exists(Path.Combine(StateFolder, "calls.log")) ? File.ReadAllLines(Path.Combine(StateFolder, "calls.log")) : [];

    public static string RepoRoot { get; } = FindRoot();

    public static string ScriptPath => Path.Combine(RepoRoot, "Tools", "LocalLake", "aws", "evaluate-release.sh");

    /// <summary>Runs the script as the task would, for the event of <paramref name="releaseKey"/>.</summary>
    public async Task<(int Exit, string Output, string Error)> RunAsync(string releaseKey, string run, string? athena = null)
    {
        var start = new ProcessStartInfo("bash", [ScriptPath])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        start.Environment["PATH"] = BinFolder + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["BUCKET"] = Bucket;
        start.Environment["WORKGROUP"] = WorkGroup;
        start.Environment["DATABASE"] = Database;
        start.Environment["RELEASE_KEY"] = releaseKey;
        start.Environment["RUN"] = run;
        start.Environment["POLL_SECONDS"] = "0";
        start.Environment["POLL_LIMIT"] = "5";
        start.Environment["WORK"] = Path.Combine(Root, "work-" + run);
        start.Environment["FAKE_AWS_S3"] = Path.Combine(Root, "s3");
        start.Environment["FAKE_AWS_TABLES"] = TablesFolder;
        start.Environment["FAKE_AWS_STATE"] = StateFolder;
        start.Environment["FAKE_AWS_ATHENA"] = athena ?? "";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("evaluate-release.sh ran longer than 10 minutes");
        }

        return (process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans /tmp eventually
        }
    }

    private void Script(string name, string body)
    {
        var path = Path.Combine(BinFolder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n", new UTF8Encoding(false));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string FindRoot()
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
