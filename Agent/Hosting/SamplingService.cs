using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Text;
using ShelfAgent.Buffer;
using ShelfAgent.IotCore;
using ShelfAgent.Stock;

namespace ShelfAgent.Hosting;

/// <summary>
/// Every <c>Sampling:IntervalMs</c>, reads every slot and commits the readings to the outbox in one
/// transaction. A reading exists for the rest of the system only once it is committed. Each slot's
/// readings also go through a <see cref="SlotEventDetector"/>; picks, restocks and alerts it reveals are
/// committed to the outbox's first lane.
/// </summary>
public sealed partial class SamplingService(
    IReadOnlyList<SlotSampler> samplers,
    IOutbox outbox,
    TimeSpan interval,
    TelemetryEnvelope envelope,
    TimeProvider time,
    ILogger<SamplingService> logger) : BackgroundService
{
    private readonly SlotEventDetector[] _detectors = samplers.Select(s => new SlotEventDetector(s.Slot)).ToArray();

    /// <summary>Readings committed since start.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    private long _committed;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        var readings = new List<Reading>(samplers.Count);
        var overrunSaid = false;
        var round = 0L;
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
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task DetectAsync(List<Reading> readings, CancellationToken cancellationToken)
    {
        for (var i = 0; i < readings.Count; i++)
        {
            var (events, alerts) = _detectors[i].Observe(readings[i]);
            foreach (var e in events)
            {
                await outbox.AppendEventAsync(new OutboxEvent(e.Timestamp, OutboxEventKinds.Events, Encoding.UTF8.GetString(StockMessageEncoder.Encode(envelope, e))), cancellationToken).ConfigureAwait(false);
            }

            foreach (var a in alerts)
            {
                LogAlert(logger, a.Type, a.Slot, a.Sku, a.Count, a.Reason ?? "");
                await outbox.AppendEventAsync(new OutboxEvent(a.Timestamp, OutboxEventKinds.Alerts, Encoding.UTF8.GetString(StockMessageEncoder.Encode(envelope, a))), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Alert {AlertType} on slot {SlotId} ({Sku}): count {Count} {Reason}")]
    private static partial void LogAlert(ILogger logger, StockAlertType alertType, string slotId, string sku, int? count, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "A sampling round took {TookMs} ms, longer than Sampling:IntervalMs {IntervalMs}: readings come less often than configured; raise Sampling:IntervalMs or lower Buffer:CommitWindowMs or the sensors' Samples")]
    private static partial void LogOverrun(ILogger logger, long tookMs, long intervalMs);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Could not commit {Count} readings to the outbox")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);
}
