using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Storage;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Counts the agent's restarts (<see cref="RestartCounts"/>) in <c>restarts.json</c> beside the buffer: at start it
/// reads how the last run ended and marks this one running, the watchdog marks it stalled while it is not fed, and a
/// clean stop marks it stopped. Three small durable writes per run at most (plus one per stall), so an SD card does
/// not notice. <see cref="Current"/> is what the shadow reports as <c>device.restarts</c>.
/// Registered before the other services, so it counts first and marks the stop after they have all stopped.
/// </summary>
public sealed partial class RestartLedger(string path, TimeProvider time, ILogger<RestartLedger> logger) : IHostedService, IDisposable
{
    /// <summary>The file name beside <c>Buffer:Path</c>.</summary>
    public const string FileName = "restarts.json";

    private readonly SemaphoreSlim _write = new(1, 1);
    private RestartCounts _current = RestartCounts.None;

    /// <summary>The file.</summary>
    public string Path => path;

    /// <summary>The counts, with this run's state.</summary>
    public RestartCounts Current => Volatile.Read(ref _current);

    /// <summary>The ledger beside <paramref name="bufferPath"/>.</summary>
    public static string Beside(string bufferPath)
        => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(bufferPath)) ?? ".", FileName);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var previous = RestartCounts.None;
        if (File.Exists(path))
        {
            try
            {
                previous = RestartCountsCodec.Decode(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), out var problem)
                    ?? RestartCounts.None;
                if (problem is not null)
                {
                    LogUnreadable(logger, path, problem);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogUnreadable(logger, path, e.Message);
            }
        }

        var now = previous.AtStart(time.GetUtcNow());
        Volatile.Write(ref _current, now);
        if (now.LastAt != previous.LastAt)
        {
            LogCounted(logger, now.Last == RestartCause.Watchdog ? "the watchdog was not fed" : "it ended without stopping", now.Watchdog, now.Unclean);
        }

        await SaveAsync(now, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _write.Dispose();

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => MarkAsync(RunState.Stopped, cancellationToken);

    /// <summary>The watchdog stopped (<see cref="RunState.Stalled"/>) or resumed (<see cref="RunState.Running"/>) being fed.</summary>
    public Task MarkAsync(RunState run, CancellationToken cancellationToken)
    {
        var current = Current;
        if (current.Run == run)
        {
            return Task.CompletedTask;
        }

        var next = current with { Run = run };
        Volatile.Write(ref _current, next);
        return SaveAsync(next, cancellationToken);
    }

    private async Task SaveAsync(RestartCounts counts, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DurableFile.WriteAsync(path, RestartCountsCodec.Encode(counts), DurableFile.Private, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full or read-only disk must not stop the agent; the count is only the worse for it.
            LogUnwritable(logger, path, e.Message);
        }
        finally
        {
            _write.Release();
        }
    }

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning,
        Message = "Restarted because {Cause} (restarts so far: {Watchdog} watchdog, {Unclean} unclean; device.restarts in the shadow)")]
    private static partial void LogCounted(ILogger logger, string cause, long watchdog, long unclean);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Restart ledger {Path} unreadable ({Problem}); counting from zero")]
    private static partial void LogUnreadable(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Could not write the restart ledger {Path}: {Problem}")]
    private static partial void LogUnwritable(ILogger logger, string path, string problem);
}
