using ShelfAgent.Hardware;

namespace ShelfAgent.Drivers.Nau7802;

/// <summary>
/// Nuvoton NAU7802 24-bit bridge ADC on I2C (address 0x2A). <see cref="InitializeAsync"/> runs the
/// datasheet's power-up sequence, sets LDO, gain and rate, runs the internal offset calibration and starts
/// conversions; <see cref="ReadAsync"/> waits for cycle-ready and reads the 24-bit result.
/// </summary>
public sealed class Nau7802 : IDisposable
{
    private readonly II2cDevice _device;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>Creates the driver; nothing is sent until <see cref="InitializeAsync"/>.</summary>
    public Nau7802(II2cDevice device, Nau7802Settings settings, TimeProvider time)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _ = (settings.GainCode, settings.LdoCode, settings.RateCode); // validate early
    }

    /// <summary>The settings applied by <see cref="InitializeAsync"/>.</summary>
    public Nau7802Settings Settings { get; }

    /// <summary>Reset, power-up, configuration, offset calibration, conversions started.</summary>
    /// <exception cref="HardwareException">Not an NAU7802, or calibration failed.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        // Datasheet "Power-On Sequencing": RR=1 resets all registers; RR=0 and PUD=1 powers up the
        // digital part, which raises PUR within about 200 µs.
        WriteRegister(Nau7802Register.PuCtrl, Nau7802Bits.RR);
        WriteRegister(Nau7802Register.PuCtrl, Nau7802Bits.PUD);
        await PollAsync(Nau7802Register.PuCtrl, Nau7802Bits.PUR, expectSet: true, TimeSpan.FromMilliseconds(100), "power-up ready (PUR)", cancellationToken)
            .ConfigureAwait(false);

        var revision = ReadRegister(Nau7802Register.DeviceRevision);
        if ((revision & 0x0F) != 0x0F)
        {
            throw new HardwareException(
                $"the device at {HardwareErrors.FormatAddress(_device.Address)} on bus {_device.Bus} is not an NAU7802 " +
                $"(revision register 0x1F reads 0x{revision:X2}, expected 0xXF)");
        }

        // LDO voltage and gain (CTRL1), then the LDO as AVDD source and the analog part powered.
        WriteRegister(Nau7802Register.Ctrl1, (byte)((Settings.LdoCode << 3) | Settings.GainCode));
        WriteRegister(Nau7802Register.PuCtrl, Nau7802Bits.PUD | Nau7802Bits.PUA | Nau7802Bits.AVDDS);
        WriteRegister(Nau7802Register.Ctrl2, (byte)((Settings.RateCode << 4) | (Settings.Channel == 2 ? Nau7802Bits.CHS : 0)));
        // Datasheet: turn the clock chopper off (REG_CHPS = 0b11) and, for channel 1, use the channel 2
        // input capacitor for PGA output decoupling (PGA_CAP_EN).
        WriteRegister(Nau7802Register.Adc, (byte)(ReadRegister(Nau7802Register.Adc) | Nau7802Bits.RegChpsOff));
        if (Settings.Channel == 1)
        {
            WriteRegister(Nau7802Register.PgaPwr, (byte)(ReadRegister(Nau7802Register.PgaPwr) | Nau7802Bits.PgaCapEn));
        }

        // Let the LDO and the analog front end settle before calibrating.
        await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
        await CalibrateOffsetAsync(cancellationToken).ConfigureAwait(false);
        WriteRegister(Nau7802Register.PuCtrl, Nau7802Bits.PUD | Nau7802Bits.PUA | Nau7802Bits.AVDDS | Nau7802Bits.CS);
    }

    /// <summary>Internal offset calibration (CALMOD = 00, CALS = 1, wait for CALS = 0, check CAL_ERR).</summary>
    public async ValueTask CalibrateOffsetAsync(CancellationToken cancellationToken)
    {
        var ctrl2 = (byte)(ReadRegister(Nau7802Register.Ctrl2) & ~0b11 & ~Nau7802Bits.CALERR);
        WriteRegister(Nau7802Register.Ctrl2, (byte)(ctrl2 | Nau7802Bits.CALS));
        // Calibration takes a few conversion cycles; allow plenty at the slowest rate.
        var timeout = Settings.ConversionPeriod * 20 + TimeSpan.FromMilliseconds(200);
        await PollAsync(Nau7802Register.Ctrl2, Nau7802Bits.CALS, expectSet: false, timeout, "offset calibration (CALS)", cancellationToken)
            .ConfigureAwait(false);
        if ((ReadRegister(Nau7802Register.Ctrl2) & Nau7802Bits.CALERR) != 0)
        {
            throw new HardwareException(
                $"NAU7802 at {HardwareErrors.FormatAddress(_device.Address)} on bus {_device.Bus}: " +
                "internal offset calibration failed (CAL_ERR); check the bridge wiring");
        }
    }

    /// <summary>Waits for cycle-ready (CR) and reads the 24-bit two's complement result.</summary>
    public async ValueTask<int> ReadAsync(CancellationToken cancellationToken)
    {
        var timeout = Settings.ConversionPeriod * 3 + TimeSpan.FromMilliseconds(100);
        await PollAsync(Nau7802Register.PuCtrl, Nau7802Bits.CR, expectSet: true, timeout, "conversion ready (CR)", cancellationToken).ConfigureAwait(false);
        Span<byte> data = stackalloc byte[3];
        _device.WriteRead([(byte)Nau7802Register.AdcoB2], data);
        return ToCode(data);
    }

    /// <summary>Sign-extends ADCO_B2..B0 (MSB first).</summary>
    public static int ToCode(ReadOnlySpan<byte> b2b1b0)
    {
        var word = (b2b1b0[0] << 16) | (b2b1b0[1] << 8) | b2b1b0[2];
        return (word & 0x800000) != 0 ? word - 0x1000000 : word;
    }

    /// <summary>Puts the chip in power-down (PUD = PUA = 0).</summary>
    public void PowerDown() => WriteRegister(Nau7802Register.PuCtrl, 0);

    /// <inheritdoc />
    public void Dispose() => _device.Dispose();

    private async ValueTask PollAsync(Nau7802Register register, byte mask, bool expectSet, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (((ReadRegister(register) & mask) != 0) != expectSet)
        {
            if (_time.GetElapsedTime(start) > timeout)
            {
                throw new HardwareTimeoutException(
                    $"NAU7802 at {HardwareErrors.FormatAddress(_device.Address)} on bus {_device.Bus}: " +
                    $"timed out after {timeout.TotalMilliseconds:0} ms waiting for {what}");
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private byte ReadRegister(Nau7802Register register)
    {
        Span<byte> value = stackalloc byte[1];
        _device.WriteRead([(byte)register], value);
        return value[0];
    }

    private void WriteRegister(Nau7802Register register, byte value) => _device.Write([(byte)register, value]);
}
