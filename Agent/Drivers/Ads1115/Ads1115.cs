using ShelfAgent.Hardware;

namespace ShelfAgent.Drivers.Ads1115;

/// <summary>
/// TI ADS1115 16-bit ADC on I2C (0x48–0x4B, set by the ADDR pin), used in single-shot mode: write the
/// config word with OS = 1, wait one conversion period, poll OS until it reads 1 again, read the result.
/// </summary>
public sealed class Ads1115 : IDisposable
{
    private readonly II2cDevice _device;
    private readonly TimeProvider _time;

    /// <summary>Creates the driver over an opened device.</summary>
    public Ads1115(II2cDevice device, Ads1115Settings settings, TimeProvider time)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _ = (settings.PgaCode, settings.RateCode); // validate early
    }

    /// <summary>Conversion settings.</summary>
    public Ads1115Settings Settings { get; }

    /// <summary>Runs one single-shot conversion and returns the signed 16-bit code.</summary>
    public async ValueTask<short> ReadCodeAsync(CancellationToken cancellationToken)
    {
        var config = Settings.SingleShotConfig;
        // Datasheet "Writing to the ADS111x": pointer byte, then MSB and LSB.
        _device.Write([(byte)Ads1115Register.Config, (byte)(config >> 8), (byte)config]);
        await Task.Delay(Settings.ConversionPeriod, _time, cancellationToken).ConfigureAwait(false);
        var start = _time.GetTimestamp();
        var timeout = Settings.ConversionPeriod * 4 + TimeSpan.FromMilliseconds(20);
        // OS reads 0 while a conversion is in progress and 1 when the device is idle.
        while ((ReadRegister(Ads1115Register.Config) & 0x8000) == 0)
        {
            if (_time.GetElapsedTime(start) > timeout)
            {
                throw new HardwareTimeoutException(
                    $"ADS1115 at {HardwareErrors.FormatAddress(_device.Address)} on bus {_device.Bus}: " +
                    $"conversion did not finish within {timeout.TotalMilliseconds:0} ms");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        return (short)ReadRegister(Ads1115Register.Conversion);
    }

    /// <summary>Runs one conversion and returns volts.</summary>
    public async ValueTask<double> ReadVoltsAsync(CancellationToken cancellationToken)
        => ToVolts(await ReadCodeAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Code to volts for the configured range.</summary>
    public double ToVolts(short code) => code * Settings.VoltsPerCode;

    /// <summary>True for the clipped codes 0x7FFF and 0x8000 (input beyond the range).</summary>
    public static bool IsSaturated(short code) => code is short.MaxValue or short.MinValue;

    /// <summary>Reads the config register (e.g. to verify a device is an ADS1115: reset value 0x8583).</summary>
    public ushort ReadConfig() => ReadRegister(Ads1115Register.Config);

    /// <inheritdoc />
    public void Dispose() => _device.Dispose();

    private ushort ReadRegister(Ads1115Register register)
    {
        Span<byte> data = stackalloc byte[2];
        _device.WriteRead([(byte)register], data);
        return (ushort)((data[0] << 8) | data[1]);
    }
}
