using Microsoft.Extensions.Logging;
using ShelfAgent.Config;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Hosting;

/// <summary>
/// Reads one slot's sensor and turns the value into a <see cref="Reading"/>. A failing sensor yields a
/// fault reading with the reason and is not asked again until a backoff has passed, so one broken cell
/// neither stops the agent nor floods the log.
/// </summary>
public sealed partial class SlotSampler(SlotOptions slot, ISensor sensor, Calibration calibration, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(5);
    private int _consecutiveFaults;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private string? _lastFault;

    /// <summary>The slot this sampler reads.</summary>
    public SlotOptions Slot => slot;

    /// <summary>Takes one reading; never throws for a sensor fault.</summary>
    public async ValueTask<Reading> SampleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _retryAt)
        {
            return StockCalculator.ToReading(now, slot, null, _lastFault);
        }

        try
        {
            var raw = await sensor.ReadRawAsync(cancellationToken).ConfigureAwait(false);
            if (_consecutiveFaults > 0)
            {
                LogRecovered(logger, slot.Id, _consecutiveFaults);
            }

            _consecutiveFaults = 0;
            _lastFault = null;
            return StockCalculator.ToReading(now, slot, calibration.ToGrams(raw), null);
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or UnauthorizedAccessException)
        {
            _consecutiveFaults++;
            _lastFault = $"{Kind(e)}: {e.Message}";
            // Back off 1, 2, 4 … samples' worth of seconds, at most five minutes, before asking the sensor again.
            var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, Math.Min(_consecutiveFaults - 1, 16))));
            _retryAt = now + delay;
            if (_consecutiveFaults == 1 || IsPowerOfTwo(_consecutiveFaults))
            {
                LogFault(logger, slot.Id, sensor.Describe, _lastFault, _consecutiveFaults, delay.TotalSeconds);
            }

            return StockCalculator.ToReading(now, slot, null, _lastFault);
        }
    }

    private static string Kind(Exception e) => e switch
    {
        TimeoutException => "timeout",
        UnauthorizedAccessException => "permission",
        IOException => "bus",
        _ => "sensor",
    };

    private static bool IsPowerOfTwo(int n) => (n & (n - 1)) == 0;

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Slot {SlotId} sensor {Sensor} failed: {Fault} ({Faults} in a row); retrying in {RetrySeconds} s")]
    private static partial void LogFault(ILogger logger, string slotId, string sensor, string fault, int faults, double retrySeconds);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Slot {SlotId} sensor recovered after {Faults} faults")]
    private static partial void LogRecovered(ILogger logger, string slotId, int faults);
}
