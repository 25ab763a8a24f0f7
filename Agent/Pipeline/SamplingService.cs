using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Outbox;
using ShelfAgent.Contract;
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
    DemandStore? demandStore = null) : BackgroundService
{
    /// <summary>How often new learning is written to disk at most (a power cut loses at most this much).</summary>
    public static readonly TimeSpan SaveEvery = TimeSpan.FromMinutes(10);

    private readonly StockPipeline _pipeline = pipeline
        ?? new StockPipeline(envelope.StoreId, envelope.ThingName, samplers.Select(s => s.Slot).ToList(), ForecastSettings.Default);

    private readonly List<IStockMessage> _messages = [];
    private DateTimeOffset _savedAt;
    private long _committed;

    /// <summary>Readings committed since start.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>The pipeline the readings go through.</summary>
    public StockPipeline Pipeline => _pipeline;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        var readings = new List<Reading>(samplers.Count);
        _savedAt = time.GetUtcNow();
        var overrunSaid = false;
        var round = 0L;
        try
        {
            do
            {
                var started = time.GetTimestamp();
                readings.Clear();
                foreach (var sampler in samplers)
                {
                    readings.Add(await sampler.SampleAsync(stoppingToken).ConfigureAwait(false));
                }

                try
                {
                    await outbox.AppendAsync(readings, stoppingToken).ConfigureAwait(false);
                    Interlocked.Add(ref _committed, readings.Count);
                    await DetectAsync(readings, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The outbox handles a full disk itself; anything else is logged and the next tick tries again.
                    LogAppendFailed(logger, readings.Count, e);
                }

                // The start-up check refuses what cannot be met on paper; a slower bus or card shows here, once
                // (not on the first round, which also opens the sensors and compiles the code).
                var took = time.GetElapsedTime(started);
                if (!overrunSaid && round++ > 0 && took > interval)
                {
                    overrunSaid = true;
                    LogOverrun(logger, (long)took.TotalMilliseconds, (long)interval.TotalMilliseconds);
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
            if (_pipeline.HasUnsavedLearning)
            {
                await SaveAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task DetectAsync(List<Reading> readings, CancellationToken cancellationToken)
    {
        foreach (var reading in readings)
        {
            _messages.Clear();
            _pipeline.Observe(reading, _messages);
            foreach (var m in _messages)
            {
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

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Alert {AlertType} on slot {SlotId} ({Sku}): count {Count} {Reason}")]
    private static partial void LogAlert(ILogger logger, StockAlertType alertType, string slotId, string sku, int? count, string reason);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Could not commit {Count} readings to the outbox")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Could not save the learned demand to {Path}; kept in memory")]
    private static partial void LogSaveFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "A sampling round took {TookMs} ms, longer than Sampling:IntervalMs {IntervalMs}: readings come less often than configured; raise Sampling:IntervalMs or lower Buffer:CommitWindowMs or the sensors' Samples")]
    private static partial void LogOverrun(ILogger logger, long tookMs, long intervalMs);
}
