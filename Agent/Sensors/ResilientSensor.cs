using Microsoft.Extensions.Logging;
using ShelfAgent.Hardware;

namespace ShelfAgent.Sensors;

/// <summary>
/// Wraps any <see cref="ISensor"/> so the sampler gets a <see cref="SensorSample"/> and never an exception
/// for a sensor fault: bus errors, timeouts and unreadable values become a fault with a reason; a failing
/// sensor is not asked again until a doubling backoff has passed; readings that arrive are checked by a
/// <see cref="SensorHealthMonitor"/> and calibrated to grams.
/// </summary>
public sealed partial class ResilientSensor : IAsyncDisposable
{
    private readonly ISensor _inner;
    private readonly SensorHealthMonitor _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RetryBackoff _backoff;
    private int _consecutiveFaults;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private string? _lastFault;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="slotId">For logs and messages.</param>
    /// <param name="inner">The sensor.</param>
    /// <param name="calibration">Raw → grams; null while the slot is not calibrated (its samples are faults saying so).</param>
    /// <param name="health">Checks on arrived readings.</param>
    /// <param name="time">Clock for the backoff.</param>
    /// <param name="logger">Where faults and recoveries are logged (first fault, then at 2, 4, 8 … in a row).</param>
    /// <param name="backoff">Retry delays; <see cref="RetryBackoff.Default"/> if null.</param>
    public ResilientSensor(string slotId, ISensor inner, Calibration? calibration, SensorHealthMonitor health, TimeProvider time, ILogger logger, RetryBackoff? backoff = null)
    {
        SlotId = slotId;
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Calibration = calibration;
        _health = health ?? throw new ArgumentNullException(nameof(health));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _backoff = backoff ?? RetryBackoff.Default;
    }

    /// <summary>The slot.</summary>
    public string SlotId { get; }

    /// <summary>The wrapped sensor.</summary>
    public ISensor Inner => _inner;

    /// <summary>Raw → grams; replace it after a calibration.</summary>
    public Calibration? Calibration { get; set; }

    /// <summary>Faults in a row.</summary>
    public int ConsecutiveFaults => _consecutiveFaults;

    /// <summary>Takes one sample. Never throws for a sensor fault; throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async ValueTask<SensorSample> SampleAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _retryAt)
        {
            return new SensorSample(null, null, _lastFault);
        }

        double raw;
        try
        {
            raw = await _inner.ReadRawAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SensorRangeException e)
        {
            // The sensor answered; no reason to wait before asking again.
            return new SensorSample(null, null, "range: " + e.Message);
        }
        catch (Exception e)
        {
            _consecutiveFaults++;
            _lastFault = Reason(e);
            var delay = _backoff.After(_consecutiveFaults);
            _retryAt = now + delay;
            _health.Reset();
            if (_consecutiveFaults == 1 || (_consecutiveFaults & (_consecutiveFaults - 1)) == 0)
            {
                LogFault(_logger, SlotId, _inner.Describe, _lastFault, _consecutiveFaults, delay.TotalSeconds);
            }

            return new SensorSample(null, null, _lastFault);
        }

        if (_consecutiveFaults > 0)
        {
            LogRecovered(_logger, SlotId, _consecutiveFaults);
            _consecutiveFaults = 0;
            _lastFault = null;
        }

        var grams = Calibration?.ToGrams(raw);
        if (_health.Check(now, raw, grams) is { } problem)
        {
            return new SensorSample(raw, null, problem);
        }

        return grams is null
            ? new SensorSample(raw, null, $"uncalibrated: run shelf-agent calibrate tare --slot {SlotId}, then calibrate span --slot {SlotId} --grams <reference weight>")
            : new SensorSample(raw, grams, null);
    }

    /// <summary>"kind: message", kind being timeout, nack, permission, unavailable, bus or sensor.</summary>
    public static string Reason(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var kind = e switch
        {
            TimeoutException => "timeout",
            I2cNackException => "nack",
            HardwareAccessDeniedException or UnauthorizedAccessException => "permission",
            HardwareUnavailableException => "unavailable",
            IOException => "bus",
            _ => "sensor",
        };
        return $"{kind}: {e.Message}";
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Slot {SlotId} sensor {Sensor} failed: {Fault} ({Faults} in a row); retrying in {RetrySeconds} s")]
    private static partial void LogFault(ILogger logger, string slotId, string sensor, string fault, int faults, double retrySeconds);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Slot {SlotId} sensor recovered after {Faults} faults")]
    private static partial void LogRecovered(ILogger logger, string slotId, int faults);
}
