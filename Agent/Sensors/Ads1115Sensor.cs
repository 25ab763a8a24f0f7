using ShelfAgent.Drivers.Ads1115;
using ShelfAgent.Hardware;

namespace ShelfAgent.Sensors;

/// <summary>
/// An analog level or distance sensor on an ADS1115 input. The raw value is volts, or the configured
/// curve's unit (e.g. millimetres from an IR distance sensor to the front product on a pusher shelf).
/// </summary>
public sealed class Ads1115Sensor : ISensor
{
    private readonly SensorOptions _options;
    private readonly IHardwareAccess _hardware;
    private readonly TimeProvider _time;
    private readonly Ads1115Settings _settings;
    private readonly VoltageCurve? _curve;
    private II2cBus? _bus;
    private Ads1115? _driver;

    /// <summary>Creates the sensor; nothing is opened until the first read.</summary>
    public Ads1115Sensor(SensorOptions options, IHardwareAccess hardware, TimeProvider time)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _hardware = hardware;
        _time = time;
        if (!Ads1115Settings.TryParseInput(options.Input, out var input))
        {
            throw new ArgumentException($"unknown ADS1115 input \"{options.Input}\"", nameof(options));
        }

        _settings = new Ads1115Settings(input, options.FullScaleVolts, options.SamplesPerSecond ?? 128);
        _curve = VoltageCurve.From(options.Curve);
        Describe = $"ads1115 i2c-{options.Bus} {HardwareErrors.FormatAddress(options.ResolvedAddress)} " +
            $"{options.Input.ToUpperInvariant()} ±{options.FullScaleVolts} V";
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
                _driver = new Ads1115(_bus.OpenDevice(_options.ResolvedAddress), _settings, _time);
            }

            var driver = _driver;
            var volts = await SampleFilter.ReadAsync(_options.Filter, _options.Samples, async ct =>
            {
                var code = await driver.ReadCodeAsync(ct).ConfigureAwait(false);
                return Ads1115.IsSaturated(code)
                    ? throw new SensorRangeException(
                        $"ADS1115 {_options.Input} is beyond ±{_options.FullScaleVolts} V: pick a larger FullScaleVolts or check the sensor's output")
                    : driver.ToVolts(code);
            }, cancellationToken).ConfigureAwait(false);
            return _curve?.Map(volts) ?? volts;
        }
        catch (Exception e) when (e is not OperationCanceledException and not SensorRangeException)
        {
            Close();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Close()
    {
        _driver?.Dispose();
        _driver = null;
        _bus?.Dispose();
        _bus = null;
    }
}
