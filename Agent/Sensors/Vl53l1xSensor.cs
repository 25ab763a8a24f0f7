using ShelfAgent.Drivers.Vl53l1x;
using ShelfAgent.Hardware;

namespace ShelfAgent.Sensors;

/// <summary>
/// A time-of-flight level sensor (VL53L1X) looking along a slot. The raw value is the distance in millimetres,
/// the filtered value of the measurements the chip reports valid; a reading where fewer than half are valid
/// is a fault named by the chip's range status, so a lost target never becomes a stock count.
/// The chip is initialised on first use and again after any failure (a board that lost power boots reset).
/// </summary>
public sealed class Vl53l1xSensor : ISensor
{
    private readonly SensorOptions _options;
    private readonly IHardwareAccess _hardware;
    private readonly TimeProvider _time;
    private readonly Vl53l1xSettings _settings;
    private II2cBus? _bus;
    private Vl53l1x? _driver;

    /// <summary>Creates the sensor; nothing is opened until the first read.</summary>
    public Vl53l1xSensor(SensorOptions options, IHardwareAccess hardware, TimeProvider time)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _hardware = hardware;
        _time = time;
        var mode = Enum.IsDefined(options.DistanceMode)
            ? options.DistanceMode
            : throw new ArgumentException($"unknown VL53L1X distance mode {(int)options.DistanceMode}", nameof(options));
        _settings = new Vl53l1xSettings(mode, options.TimingBudgetMs, TimeSpan.FromMilliseconds(options.ReadyTimeoutMs));
        Describe = $"vl53l1x i2c-{options.Bus} 0x29 {mode.ToString().ToLowerInvariant()} {options.TimingBudgetMs} ms";
    }

    /// <inheritdoc />
    public string Describe { get; }

    /// <inheritdoc />
    public async ValueTask<double> ReadRawAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_driver is null)
            {
                _bus = _hardware.OpenI2cBus(_options.Bus);
                var driver = new Vl53l1x(_bus.OpenDevice(Vl53l1xSettings.Address), _settings, _time);
                await driver.InitializeAsync(cancellationToken).ConfigureAwait(false);
                _driver = driver;
            }

            var count = Math.Max(1, _options.Samples);
            var valid = new List<double>(count);
            var failures = new Dictionary<Vl53l1xRangeStatus, int>();
            for (var i = 0; i < count; i++)
            {
                var m = await _driver.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (m.IsValid)
                {
                    valid.Add(m.Millimetres);
                }
                else
                {
                    failures[m.Status] = failures.GetValueOrDefault(m.Status) + 1;
                }
            }

            if (valid.Count * 2 < count)
            {
                var worst = failures.MaxBy(f => f.Value);
                throw new SensorRangeException($"VL53L1X: {count - valid.Count} of {count} measurements invalid, mostly {Explain(worst.Key)}");
            }

            return SampleFilter.Apply(_options.Filter, valid.ToArray());
        }
        catch (Exception e) when (e is not OperationCanceledException and not SensorRangeException)
        {
            Close();
            throw;
        }
    }

    /// <summary>What a range status means for the technician. Pure.</summary>
    public static string Explain(Vl53l1xRangeStatus status) => status switch
    {
        Vl53l1xRangeStatus.SigmaFail => "sigma failure (too noisy: a longer TimingBudgetMs helps)",
        Vl53l1xRangeStatus.SignalFail => "signal failure (too little light back: target too far, dark or small, or the window is dirty)",
        Vl53l1xRangeStatus.OutOfBounds => "out of bounds (target beyond the distance mode's reach: try DistanceMode Long)",
        Vl53l1xRangeStatus.WrapAround => "wrap-around (a target beyond the mode's reach aliased to a short distance)",
        Vl53l1xRangeStatus.MinRangeClipped or Vl53l1xRangeStatus.MinRangeFail
            => "target too close (below the minimum range: something in front of the sensor?)",
        Vl53l1xRangeStatus.HardwareFail => "hardware failure (power-cycle the sensor)",
        _ => $"range status {status}",
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        try
        {
            _driver?.StopRanging();
        }
        catch (HardwareException)
        {
            // The chip is gone or unpowered: nothing to stop.
        }

        _driver?.Dispose();
        _driver = null;
        _bus?.Dispose();
        _bus = null;
    }
}
