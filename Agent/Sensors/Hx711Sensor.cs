using ShelfAgent.Drivers.Hx711;
using ShelfAgent.Hardware;

namespace ShelfAgent.Sensors;

/// <summary>
/// A load cell on an HX711: opens the GPIO lines on first use, reads <c>Samples</c> conversions and
/// combines them with the configured filter. After any failure the lines are released, so the next read
/// starts from a clean request (the chip may have been unplugged, or the lines taken).
/// </summary>
public sealed class Hx711Sensor(SensorOptions options, IHardwareAccess hardware, TimeProvider time) : ISensor
{
    private IGpioChip? _chip;
    private Hx711? _driver;

    /// <inheritdoc />
    public string Describe { get; } = $"hx711 gpiochip{options.GpioChip} DOUT=GPIO{options.DataLine} PD_SCK=GPIO{options.ClockLine} gain {options.Gain}";

    /// <inheritdoc />
    public async ValueTask<double> ReadRawAsync(CancellationToken cancellationToken)
    {
        try
        {
            var driver = _driver ??= Open();
            var raw = await SampleFilter.ReadAsync(
                options.Filter, options.Samples, async ct => await driver.ReadAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (raw >= Hx711Code.Max || raw <= Hx711Code.Min)
            {
                throw new SensorRangeException($"HX711 output saturated ({raw:0}): the load cell is overloaded or a bridge wire (E+, E−, A+, A−) is open");
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

    private Hx711 Open()
    {
        var chip = hardware.OpenGpioChip(options.GpioChip);
        IGpioLine? dout = null;
        try
        {
            _chip = chip;
            dout = chip.OpenInput(options.DataLine ?? 0, GpioBias.AsIs, "shelf-agent hx711 dout");
            // PD_SCK low from the start: high for > 60 µs would power the chip down.
            var sck = chip.OpenOutput(options.ClockLine ?? 0, initialHigh: false, "shelf-agent hx711 sck");
            var gain = options.Gain switch { 64 => Hx711Gain.A64, 32 => Hx711Gain.B32, _ => Hx711Gain.A128 };
            return new Hx711(dout, sck, gain, time, new Hx711Options { ReadyTimeout = TimeSpan.FromMilliseconds(options.ReadyTimeoutMs) });
        }
        catch
        {
            dout?.Dispose();
            chip.Dispose();
            _chip = null;
            throw;
        }
    }

    private void Close()
    {
        _driver?.Dispose();
        _driver = null;
        _chip?.Dispose();
        _chip = null;
    }
}
