using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Buffer;
using ShelfAgent.Stock;

namespace ShelfAgent.Hosting;

/// <summary>
/// Every <c>Sampling:IntervalMs</c>, reads every slot and commits the readings to the outbox in one
/// transaction. A reading exists for the rest of the system only once it is committed.
/// </summary>
public sealed partial class SamplingService(
    IReadOnlyList<SlotSampler> samplers,
    IOutbox outbox,
    TimeSpan interval,
    TimeProvider time,
    ILogger<SamplingService> logger) : BackgroundService
{
    /// <summary>Readings committed since start.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    private long _committed;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        var readings = new List<Reading>(samplers.Count);
        do
        {
            readings.Clear();
            foreach (var sampler in samplers)
            {
                readings.Add(await sampler.SampleAsync(stoppingToken).ConfigureAwait(false));
            }

            try
            {
                await outbox.AppendAsync(readings, stoppingToken).ConfigureAwait(false);
                Interlocked.Add(ref _committed, readings.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The outbox handles a full disk itself; anything else is logged and the next tick tries again.
                LogAppendFailed(logger, readings.Count, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Could not commit {Count} readings to the outbox")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);
}
