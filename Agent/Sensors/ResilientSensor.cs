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
    private readonly SensorFaultLog _faultLog = new();
    private int _consecutiveFaults;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private string? _lastFault;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="slotId">For logs and messages.</param>
    /// <param name="inner">The sensor.</param>
    /// <param name="calibration">Raw → grams; null while the slot is not calibrated (its samples are faults saying so).</param>
    /// <param name="health">Checks on arrived readings.</param>
    /// <param name="time">Clock for the backoff.</param>
    /// <param name="logger">
    /// Where faults and recoveries are logged: the first fault, then a count per minute, then the recovery (<see cref="SensorFaultLog"/>);
    /// every fault at Debug.
    /// </param>
    /// <param name="backoff">Retry delays; <see cref="RetryBackoff.Default"/> if null.</param>
    public ResilientSensor(
        string slotId,
        ISensor inner,
        Calibration? calibration,
        SensorHealthMonitor health,
        TimeProvider time,
        ILogger logger,
        RetryBackoff? backoff = null)
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
            var entry = _faultLog.Fault(now, _lastFault, _consecutiveFaults);
            if (entry?.Kind == SensorFaultEntryKind.First)
            {
                LogFirstFault(_logger, SlotId, _inner.Describe, _lastFault, _consecutiveFaults, delay.TotalSeconds, (int)_faultLog.Window.TotalSeconds);
            }
            else
            {
                LogEveryFault(_logger, SlotId, _inner.Describe, _lastFault, _consecutiveFaults, delay.TotalSeconds);
                Log(entry);
            }

            return new SensorSample(null, null, _lastFault);
        }

        _consecutiveFaults = 0;
        _lastFault = null;
        Log(_faultLog.Good(now));

        var grams = Calibration?.ToGrams(raw);
        if (_health.Check(now, raw, grams) is { } problem)
        {
            return new SensorSample(raw, null, problem);
        }

        return grams is null
            ? new SensorSample(
                raw, null, $"uncalibrated: run shelf-agent calibrate tare --slot {SlotId}, then calibrate span --slot {SlotId} --grams <reference weight>")
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
    public ValueTask DisposeAsync()
    {
        // Faults counted since the last summary are not lost from the log when the agent stops.
        Log(_faultLog.Flush(_time.GetUtcNow()));
        return _inner.DisposeAsync();
    }

    private void Log(SensorFaultEntry? entry)
    {
        switch (entry)
        {
            case { Kind: SensorFaultEntryKind.Summary } e:
                var now = Now(e.InARow);
                LogFaultSummary(_logger, SlotId, _inner.Describe, e.Faults, (int)e.Over.TotalSeconds, e.Good, now, e.LastFault ?? "");
                break;
            case { Kind: SensorFaultEntryKind.Recovered } e:
                var minutes = (int)Math.Ceiling(e.Since.TotalMinutes);
                LogRecovered(_logger, SlotId, _inner.Describe, (int)e.Over.TotalSeconds, e.Total, minutes);
                break;
        }
    }

    private static string Now(int inARow) => inARow > 0 ? $"failing now ({inARow} in a row)" : inARow == 0 ? "reading now" : "stopped";

    // EventId 2201 is the first fault after a quiet spell; 2204 every fault (Debug); shelf-sim counts both (Simulator/DeviceLoggerFactory.cs).
    [LoggerMessage(
        EventId = 2201,
        Level = LogLevel.Warning,
        Message = "Slot {SlotId} sensor {Sensor} failed: {Fault} ({Faults} in a row); retrying in {RetrySeconds} s. " +
            "More faults of this sensor are counted and summed up every {WindowSeconds} s, until it reads that long without one")]
    private static partial void LogFirstFault(
        ILogger logger, string slotId, string sensor, string fault, int faults, double retrySeconds, int windowSeconds);

    [LoggerMessage(
        EventId = 2204,
        Level = LogLevel.Debug,
        Message = "Slot {SlotId} sensor {Sensor} failed: {Fault} ({Faults} in a row); retrying in {RetrySeconds} s")]
    private static partial void LogEveryFault(ILogger logger, string slotId, string sensor, string fault, int faults, double retrySeconds);

    [LoggerMessage(
        EventId = 2203,
        Level = LogLevel.Warning,
        Message = "Slot {SlotId} sensor {Sensor}: {Faults} more faults in {Seconds} s, {Good} good readings between them, {Now}; last: {Fault}")]
    private static partial void LogFaultSummary(
        ILogger logger, string slotId, string sensor, int faults, int seconds, int good, string now, string fault);

    [LoggerMessage(
        EventId = 2202,
        Level = LogLevel.Information,
        Message = "Slot {SlotId} sensor {Sensor} recovered: no fault for {Seconds} s ({Total} faults in {Minutes} min)")]
    private static partial void LogRecovered(ILogger logger, string slotId, string sensor, int seconds, long total, int minutes);
}
