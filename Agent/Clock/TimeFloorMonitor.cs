using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ShelfAgent.Clock;

/// <summary>
/// Keeps the time floor: checks the clock every <see cref="CheckEvery"/>, says in the log when it is behind the floor
/// (and why the broker connection waits) and when it is trusted again, advances the persisted floor every
/// <see cref="SaveEvery"/> while trusted and once more at a clean stop. <see cref="Trusted"/> is read by the sampling
/// loop (readings marked <c>timeUntrusted</c>) and the shadow (<c>clockTrusted</c>).
/// </summary>
public sealed partial class TimeFloorMonitor : BackgroundService
{
    /// <summary>How often the clock is judged.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    /// <summary>How often the floor is written while trusted (an SD card is spared; a power cut loses at most this).</summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(10);

    private readonly TimeFloorStore _store;
    private readonly IClockSync _sync;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private DateTimeOffset _floor;
    private DateTimeOffset _savedAt = DateTimeOffset.MinValue;
    private volatile bool _trusted;

    /// <summary>Reads the floor and judges the clock once, so the first readings are already marked right.</summary>
    public TimeFloorMonitor(TimeFloorStore store, IClockSync sync, TimeProvider time, ILogger<TimeFloorMonitor> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sync = sync ?? throw new ArgumentNullException(nameof(sync));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _floor = TimeFloor.Effective(store.Load());
        Judge(initial: true);
    }

    /// <summary>True while the clock is trusted.</summary>
    public bool Trusted => _trusted;

    /// <summary>The floor in force.</summary>
    public DateTimeOffset Floor => _floor;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Judge(initial: false);
                if (_trusted && _time.GetUtcNow() - _savedAt >= SaveEvery)
                {
                    await SaveAsync(stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Judge(initial: false);
        if (_trusted)
        {
            await SaveAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Judge(bool initial)
    {
        var now = _time.GetUtcNow();
        var trusted = TimeFloor.Judge(now, _floor, _sync.IsSynchronised()) == ClockVerdict.Trusted;
        if (initial ? !trusted : trusted != _trusted)
        {
            if (trusted)
            {
                LogTrustedAgain(_logger, now);
            }
            else
            {
                LogBehind(_logger, TimeFloor.Explain(now, _floor));
            }
        }

        _trusted = trusted;
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _savedAt = now;
        if (TimeFloor.Advance(now, _floor, ClockVerdict.Trusted) is not { } next)
        {
            return;
        }

        try
        {
            await _store.SaveAsync(next, cancellationToken).ConfigureAwait(false);
            _floor = next;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(_logger, _store.Path, e);
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Clock not trusted: {Explanation}")]
    private static partial void LogBehind(ILogger logger, string explanation);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Clock trusted again ({Now:u}): readings from now on carry a trusted time")]
    private static partial void LogTrustedAgain(ILogger logger, DateTimeOffset now);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Could not write the time floor to {Path}")]
    private static partial void LogSaveFailed(ILogger logger, string path, Exception exception);
}
