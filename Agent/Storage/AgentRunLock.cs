namespace ShelfAgent.Storage;

/// <summary>
/// <c>agent.lock</c> beside the buffer, held by <c>run</c> for as long as it runs, so <c>calibrate</c> can tell that the
/// service is reading the same sensors and refuse clearly instead of fighting it for the bus (two readers of one HX711
/// clock line corrupt each other's conversions, and the running agent would keep its old calibration anyway).
/// .NET takes an advisory <c>flock(LOCK_EX)</c> for <see cref="FileShare.None"/> on Linux, and the kernel drops it with
/// the process, so a killed agent never leaves a stale lock.
/// </summary>
public sealed class AgentRunLock : IDisposable
{
    /// <summary>The lock file's name, in the buffer's folder.</summary>
    public const string FileName = "agent.lock";

    private readonly FileStream _file;

    private AgentRunLock(FileStream file) => _file = file;

    /// <summary>The lock file for the buffer at <paramref name="bufferPath"/>.</summary>
    public static string PathFor(string bufferPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(bufferPath))!, FileName);

    /// <summary>Takes the lock; null when another process holds it or the folder cannot hold it (then nothing is refused).</summary>
    public static AgentRunLock? TryAcquire(string bufferPath)
    {
        try
        {
            return new AgentRunLock(new FileStream(PathFor(bufferPath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when a running agent holds the lock. A lock file this user cannot open, or no folder, says nothing: false.
    /// </summary>
    public static bool IsHeld(string bufferPath)
    {
        var path = PathFor(bufferPath);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
