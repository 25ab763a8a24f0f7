using ShelfAgent.Drivers.Nau7802;
using ShelfAgent.Hardware;

namespace ShelfAgent.Sensors;

/// <summary>
/// A load cell on an NAU7802: opens the bus and runs the power-up and calibration sequence on first use,
/// and again after any failure (a chip that lost power comes back reset).
/// </summary>
public sealed class Nau7802Sensor(SensorOptions options, IHardwareAccess hardware, TimeProvider time) : ISensor
{
    private const int Saturated = 0x7FFFFF;
    private II2cBus? _bus;
    private Nau7802? _driver;

    /// <inheritdoc />
    public string Describe { get; } = $"nau7802 i2c-{options.Bus} 0x2A gain {options.Gain}";

    /// <inheritdoc />
    public async ValueTask<double> ReadRawAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_driver is null)
            {
                _bus = hardware.OpenI2cBus(options.Bus);
                var settings = new Nau7802Settings(options.Gain, options.LdoVolts, options.SamplesPerSecond ?? 10, options.Channel);
                var driver = new Nau7802(_bus.OpenDevice(Nau7802Settings.Address), settings, time);
                await driver.InitializeAsync(cancellationToken).ConfigureAwait(false);
                _driver = driver;
            }

            var opened = _driver;
            var raw = await SampleFilter.ReadAsync(
                options.Filter, options.Samples, async ct => await opened.ReadAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (Math.Abs(raw) >= Saturated)
            {
                throw new SensorRangeException($"NAU7802 output saturated ({raw:0}): the load cell is overloaded, a bridge wire is open, or Gain is too high");
            }

            return raw;
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
