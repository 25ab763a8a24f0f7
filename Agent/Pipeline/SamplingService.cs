using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Every <c>Sampling:IntervalMs</c>, reads every slot and commits the readings to the outbox in one
/// transaction. A reading exists for the rest of the system only once it is committed. The committed readings
/// then go through the <see cref="StockPipeline"/> (the same one <c>shelf-agent backtest</c> replays); the picks,
/// restocks, alerts and forecasts it reveals are committed to the outbox's first lane. What the pipeline learned
/// about demand is saved to <c>Stock:DemandPath</c> every few minutes of new learning and at stop.
/// </summary>
public sealed partial class SamplingService(
    IReadOnlyList<SlotSampler> samplers,
    IOutbox outbox,
    TimeSpan interval,
    TelemetryEnvelope envelope,
    TimeProvider time,
    ILogger<SamplingService> logger,
    StockPipeline? pipeline = null,
    DemandStore? demandStore = null,
    PipelineProgress? progress = null,
    ReadingSelection? selection = null) : BackgroundService
{
    /// <summary>How often new learning is written to disk at most (a power cut loses at most this much).</summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(10);

    private StockPipeline _pipeline = pipeline
        ?? new StockPipeline(envelope.StoreId, envelope.ThingName, samplers.Select(s => s.Slot).ToList(), ForecastSettings.Default);

    private TimeSpan _interval = interval;
    private readonly ReadingSelection _selection = selection ?? ReadingSelection.EverySample;
    private IReadOnlyList<SlotSnapshot> _snapshots = [];
    private StockForecast? _lastForecast;
    private SamplingChange? _pendingChange;
    private PeriodicTimer? _timer;

    private readonly List<IStockMessage> _messages = [];
    private DateTimeOffset _savedAt;
    private long _committed;
    private long _sampled;
    private long _queued;

    // A clean stop publishes the open minutes' summaries (the samples so far), so no minute goes unreported.
    private async Task FlushSummariesAsync()
    {
        var open = _selection.Flush();
        if (open.Count == 0)
        {
            return;
        }

        try
        {
            await outbox.AppendAsync(open, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _queued, open.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAppendFailed(logger, open.Count, e);
        }
    }

    /// <summary>Readings committed since start.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>
    /// Readings committed to be published since start: every committed sample with <c>Publish:Readings</c> all, the minutes'
    /// summaries with summaries (the rest is kept raw or dropped on the device).
    /// </summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Readings taken in complete rounds since start (each is handed to the outbox).</summary>
    public long Sampled => Interlocked.Read(ref _sampled);

    /// <summary>The pipeline the readings go through.</summary>
    public StockPipeline Pipeline => _pipeline;

    /// <summary>Every slot as of the last round (read by the shadow; replaced whole, so safe to read from any thread).</summary>
    public IReadOnlyList<SlotSnapshot> Snapshots => Volatile.Read(ref _snapshots);

    /// <summary>The sampling interval in effect.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>
    /// Takes a configuration accepted at runtime (shadow, config-update job): the new interval at once (the timer's
    /// period is changed, so a long wait does not run out first); slot settings and a rebuilt stock pipeline between
    /// two rounds, never in the middle of one. Thread-safe.
    /// </summary>
    public void Reconfigure(SamplingChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        SamplingChange? pending;
        SamplingChange merged;
        do
        {
            // A change that does not rebuild the pipeline (an interval) must not drop a pending rebuild (a new profile
            // release, a slot setting): the rebuild carries over; a later rebuild replaces an earlier one (it reads the newer options).
            pending = Volatile.Read(ref _pendingChange);
            merged = change.Pipeline is null && pending?.Pipeline is { } rebuild ? change with { Pipeline = rebuild } : change;
        }
        while (Interlocked.CompareExchange(ref _pendingChange, merged, pending) != pending);

        _interval = change.Interval;
        try
        {
            if (Volatile.Read(ref _timer) is { } timer)
            {
                timer.Period = change.Interval;
            }
        }
        catch (ObjectDisposedException)
        {
            // Stopping: nothing left to retime.
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, time);
        Volatile.Write(ref _timer, timer);
        var readings = new List<Reading>(samplers.Count);
        _savedAt = time.GetUtcNow();
        var overrunSaid = false;
        var round = 0L;
        try
        {
            do
            {
                TakePendingChange();
                var started = time.GetTimestamp();
                readings.Clear();
                foreach (var sampler in samplers)
                {
                    readings.Add(await sampler.SampleAsync(stoppingToken).ConfigureAwait(false));
                }

                try
                {
                    // A round that was sampled is committed even when stop comes meanwhile: the outbox drops a
                    // cancelled request, and a clean stop must keep every reading taken (the commit takes ms).
                    Interlocked.Add(ref _sampled, readings.Count);
                    // Publish:Readings: every sample or the minutes' summaries; the samples past the deadband kept raw.
                    var (publish, raw) = _selection.Take(readings);
                    await outbox.AppendAsync(publish, raw, CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Add(ref _committed, readings.Count);
                    Interlocked.Add(ref _queued, publish.Count);
                    progress?.Committed();
                    await DetectAsync(readings, CancellationToken.None).ConfigureAwait(false);
                    Volatile.Write(ref _snapshots, Snapshot(readings));
                }
                catch (OutboxFullException)
                {
                    // The outbox counts these and logs them itself, one line a minute (docs/buffer.md, "A full disk").
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Anything else is logged and the next tick tries again.
                    LogAppendFailed(logger, readings.Count, e);
                }

                // The start-up check refuses what cannot be met on paper; a slower bus or card shows here, once
                // (not on the first round, which also opens the sensors and compiles the code).
                var took = time.GetElapsedTime(started);
                if (!overrunSaid && round++ > 0 && took > _interval)
                {
                    overrunSaid = true;
                    LogOverrun(logger, (long)took.TotalMilliseconds, (long)_interval.TotalMilliseconds);
                }

                if (_pipeline.HasUnsavedLearning && time.GetUtcNow() - _savedAt >= SaveEvery)
                {
                    await SaveAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            await FlushSummariesAsync().ConfigureAwait(false);
            if (_pipeline.HasUnsavedLearning)
            {
                await SaveAsync(CancellationToken.None).ConfigureAwait(false);
            }

            LogStopped(logger, Sampled, Committed);
        }
    }

    private List<SlotSnapshot> Snapshot(List<Reading> readings)
        => readings.Select(r => new SlotSnapshot(
            r.Slot,
            r.Sku,
            _pipeline.SettledCount(r.Slot),
            r.Status,
            _lastForecast?.Slots.FirstOrDefault(f => f.Slot == r.Slot && f.Sku == r.Sku)?.ExpectedEmpty,
            r.Status == StockStatus.Fault ? r.Reason ?? "fault" : null)).ToList();

    private void TakePendingChange()
    {
        if (Interlocked.Exchange(ref _pendingChange, null) is not { } change)
        {
            return;
        }

        var byId = change.Slots.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var sampler in samplers)
        {
            if (byId.TryGetValue(sampler.Slot.Id, out var slot))
            {
                sampler.Retarget(slot);
            }
        }

        if (change.Pipeline is { } rebuild)
        {
            // What was learned carries over (a slot whose SKU changed starts afresh, as after a restart); the new
            // pipeline settles each count again from the next readings.
            _pipeline = rebuild(_pipeline.Snapshot(time.GetUtcNow()));
            // Which demand shape each slot now uses (a desired profile from the shadow shows as cloud).
            if (logger.IsEnabled(LogLevel.Information))
            {
                var pipeline = _pipeline;
                var sources = string.Join(
                    ", ", change.Slots.Select(s => $"{s.Id}={(pipeline.SourceOf(s.Id) is { } p ? ForecastMessageEncoder.Profile(p) : "none")}"));
                LogDemandSources(logger, sources);
            }
        }

        LogReconfigured(logger, (long)change.Interval.TotalMilliseconds, change.Pipeline is not null);
    }

    private async Task DetectAsync(List<Reading> readings, CancellationToken cancellationToken)
    {
        foreach (var reading in readings)
        {
            _messages.Clear();
            _pipeline.Observe(reading, _messages);
            foreach (var m in _messages)
            {
                if (m is StockForecast f)
                {
                    _lastForecast = f;
                }

                if (m is StockAlert a)
                {
                    LogAlert(logger, a.Type, a.Slot, a.Sku, a.Count, a.Reason ?? "");
                }

                await outbox.AppendEventAsync(new OutboxEvent(m), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        _savedAt = time.GetUtcNow();
        if (demandStore is null)
        {
            return;
        }

        try
        {
            await demandStore.SaveAsync(_pipeline.Snapshot(_savedAt), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Learning stays in memory and is written at the next try; the agent goes on.
            LogSaveFailed(logger, demandStore.Path, e);
        }
    }

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Stock pipeline rebuilt; demand profiles: {Sources}")]
    private static partial void LogDemandSources(ILogger logger, string sources);

    [LoggerMessage(
        EventId = 2107,
        Level = LogLevel.Information,
        Message = "Sampling reconfigured: Sampling:IntervalMs {IntervalMs}, stock pipeline rebuilt: {Rebuilt}")]
    private static partial void LogReconfigured(ILogger logger, long intervalMs, bool rebuilt);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Sampling stopped: {Sampled} readings sampled, {Committed} committed to the outbox")]
    private static partial void LogStopped(ILogger logger, long sampled, long committed);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Alert {AlertType} on slot {SlotId} ({Sku}): count {Count} {Reason}")]
    private static partial void LogAlert(ILogger logger, StockAlertType alertType, string slotId, string sku, int? count, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Could not commit {Count} readings to the outbox")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Could not save the learned demand to {Path}; kept in memory")]
    private static partial void LogSaveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(
        EventId = 2104,
        Level = LogLevel.Warning,
        Message = "A sampling round took {TookMs} ms, longer than Sampling:IntervalMs {IntervalMs}: readings come less often than configured; " +
            "raise Sampling:IntervalMs or lower Buffer:CommitWindowMs or the sensors' Samples")]
    private static partial void LogOverrun(ILogger logger, long tookMs, long intervalMs);
}
