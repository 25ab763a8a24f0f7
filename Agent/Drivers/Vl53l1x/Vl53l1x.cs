using System.Buffers.Binary;
using ShelfAgent.Hardware;

namespace ShelfAgent.Drivers.Vl53l1x;

/// <summary>
/// ST VL53L1X time-of-flight distance sensor on I2C (address 0x29). <see cref="InitializeAsync"/> waits for the
/// firmware to boot, checks the model id, writes ST's default configuration, runs the first (VHV) ranging,
/// sets distance mode, timing budget and inter-measurement period, and starts continuous ranging;
/// <see cref="ReadAsync"/> waits for data-ready with a timeout and reads distance and range status.
/// Register sequences follow ST's ultra lite driver (UM2510); the wire format follows the datasheet, §4.
/// </summary>
public sealed class Vl53l1x : IDisposable
{
    // Datasheet, power-up and boot sequence: the firmware boots within a few ms of power-up or XSHUT going
    // high; allow plenty for a board that was just powered.
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMilliseconds(100);

    private readonly II2cDevice _device;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>Creates the driver; nothing is sent until <see cref="InitializeAsync"/>.</summary>
    public Vl53l1x(II2cDevice device, Vl53l1xSettings settings, TimeProvider time)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _ = Vl53l1xSettings.TimeoutMacrops(settings.DistanceMode, settings.TimingBudgetMs); // validate early
    }

    /// <summary>The settings applied by <see cref="InitializeAsync"/>.</summary>
    public Vl53l1xSettings Settings { get; }

    /// <summary>Boot wait, identity check, default configuration, VHV ranging, mode and budget, ranging started.</summary>
    /// <exception cref="HardwareException">Not a VL53L1X.</exception>
    /// <exception cref="HardwareTimeoutException">The firmware did not boot, or the first ranging never finished.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await PollAsync(
            () => (ReadByte(Vl53l1xRegister.FirmwareSystemStatus) & 0x01) != 0,
            BootTimeout,
            "the firmware to boot (FIRMWARE__SYSTEM_STATUS)",
            cancellationToken).ConfigureAwait(false);

        var model = ReadUInt16(Vl53l1xRegister.IdentificationModelId);
        if (model != Vl53l1xSettings.ModelId)
        {
            throw new HardwareException(
                $"the device at {Where} is not a VL53L1X (model id register 0x010F reads 0x{model:X4}, expected 0xEACC; a VL53L0X also answers at 0x29)");
        }

        // One write of the whole block: the index auto-increments after each byte (datasheet §4).
        var block = Vl53l1xDefaultConfiguration.Values;
        Span<byte> write = stackalloc byte[2 + block.Length];
        BinaryPrimitives.WriteUInt16BigEndian(write, (ushort)Vl53l1xRegister.DefaultConfigurationStart);
        block.CopyTo(write[2..]);
        _device.Write(write);

        // UM2510 SensorInit: one ranging lets the chip calibrate its VCSEL voltage (VHV) for the temperature.
        StartRanging();
        await WaitForDataReadyAsync(cancellationToken).ConfigureAwait(false);
        ClearInterrupt();
        StopRanging();
        WriteByte(Vl53l1xRegister.VhvConfigTimeoutMacropLoopBound, 0x09);
        WriteByte(Vl53l1xRegister.VhvConfigInit, 0x00);

        ApplyDistanceMode(Settings.DistanceMode);
        var (a, b) = Vl53l1xSettings.TimeoutMacrops(Settings.DistanceMode, Settings.TimingBudgetMs);
        WriteUInt16(Vl53l1xRegister.RangeConfigTimeoutMacropA, a);
        WriteUInt16(Vl53l1xRegister.RangeConfigTimeoutMacropB, b);
        // UM2510: the inter-measurement period must be at least the budget; equal means back-to-back ranging.
        var osc = ReadUInt16(Vl53l1xRegister.ResultOscCalibrateVal);
        WriteUInt32(Vl53l1xRegister.SystemIntermeasurementPeriod, Vl53l1xSettings.IntermeasurementCode(Settings.TimingBudgetMs, osc));
        StartRanging();
    }

    /// <summary>Waits for the next result, reads it and clears the interrupt so the following one can be flagged.</summary>
    /// <exception cref="HardwareTimeoutException">No result within <see cref="Vl53l1xSettings.EffectiveReadyTimeout"/>.</exception>
    public async ValueTask<Vl53l1xMeasurement> ReadAsync(CancellationToken cancellationToken)
    {
        await WaitForDataReadyAsync(cancellationToken).ConfigureAwait(false);
        // RESULT__RANGE_STATUS (0x89) … RESULT__FINAL_CROSSTALK_CORRECTED_RANGE_MM_SD0 (0x96–0x97) in one read.
        Span<byte> result = stackalloc byte[(int)Vl53l1xRegister.ResultFinalRangeMm - (int)Vl53l1xRegister.ResultRangeStatus + 2];
        ReadBlock(Vl53l1xRegister.ResultRangeStatus, result);
        ClearInterrupt();
        return ToMeasurement(result);
    }

    /// <summary>Decodes the result block read from RESULT__RANGE_STATUS (0x89) through 0x97. Pure.</summary>
    public static Vl53l1xMeasurement ToMeasurement(ReadOnlySpan<byte> resultBlock)
    {
        var offset = (int)Vl53l1xRegister.ResultFinalRangeMm - (int)Vl53l1xRegister.ResultRangeStatus;
        return new Vl53l1xMeasurement(BinaryPrimitives.ReadUInt16BigEndian(resultBlock[offset..]), Vl53l1xSettings.StatusFromRaw(resultBlock[0]));
    }

    /// <summary>
    /// True when bit 0 of GPIO__TIO_HV_STATUS equals the interrupt's active level (UM2510 CheckForDataReady:
    /// the level is high unless GPIO_HV_MUX__CTRL bit 4 makes it active low). Pure.
    /// </summary>
    public static bool IsDataReady(byte gpioHvMuxCtrl, byte tioHvStatus)
    {
        var activeLevel = (gpioHvMuxCtrl & 0x10) == 0 ? 1 : 0;
        return (tioHvStatus & 0x01) == activeLevel;
    }

    /// <summary>Stops ranging (SYSTEM__MODE_START = 0x00).</summary>
    public void StopRanging() => WriteByte(Vl53l1xRegister.SystemModeStart, 0x00);

    /// <inheritdoc />
    public void Dispose() => _device.Dispose();

    private string Where => $"{HardwareErrors.FormatAddress(_device.Address)} on bus {_device.Bus}";

    private void StartRanging()
    {
        ClearInterrupt();
        WriteByte(Vl53l1xRegister.SystemModeStart, 0x40);
    }

    private void ClearInterrupt() => WriteByte(Vl53l1xRegister.SystemInterruptClear, 0x01);

    private void ApplyDistanceMode(Vl53l1xDistanceMode mode)
    {
        var r = Vl53l1xSettings.ModeRegisters(mode);
        WriteByte(Vl53l1xRegister.PhasecalConfigTimeoutMacrop, r.Phasecal);
        WriteByte(Vl53l1xRegister.RangeConfigVcselPeriodA, r.VcselA);
        WriteByte(Vl53l1xRegister.RangeConfigVcselPeriodB, r.VcselB);
        WriteByte(Vl53l1xRegister.RangeConfigValidPhaseHigh, r.ValidPhaseHigh);
        WriteUInt16(Vl53l1xRegister.SdConfigWoiSd0, r.WoiSd0);
        WriteUInt16(Vl53l1xRegister.SdConfigInitialPhaseSd0, r.InitialPhaseSd0);
    }

    private ValueTask WaitForDataReadyAsync(CancellationToken cancellationToken)
    {
        var polarity = ReadByte(Vl53l1xRegister.GpioHvMuxCtrl);
        var timeout = Settings.EffectiveReadyTimeout;
        return PollAsync(() => IsDataReady(polarity, ReadByte(Vl53l1xRegister.GpioTioHvStatus)), timeout, "a ranging result (data ready)", cancellationToken);
    }

    private async ValueTask PollAsync(Func<bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        while (!done())
        {
            if (_time.GetElapsedTime(start) > timeout)
            {
                throw new HardwareTimeoutException(
                    $"VL53L1X at {Where}: timed out after {timeout.TotalMilliseconds:0} ms waiting for {what}; " +
                    "check power and XSHUT (it must be high or unconnected)");
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReadBlock(Vl53l1xRegister register, Span<byte> into)
    {
        Span<byte> index = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(index, (ushort)register);
        _device.WriteRead(index, into);
    }

    private byte ReadByte(Vl53l1xRegister register)
    {
        Span<byte> value = stackalloc byte[1];
        ReadBlock(register, value);
        return value[0];
    }

    private ushort ReadUInt16(Vl53l1xRegister register)
    {
        Span<byte> value = stackalloc byte[2];
        ReadBlock(register, value);
        return BinaryPrimitives.ReadUInt16BigEndian(value);
    }

    private void WriteByte(Vl53l1xRegister register, byte value)
    {
        Span<byte> data = stackalloc byte[3];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)register);
        data[2] = value;
        _device.Write(data);
    }

    private void WriteUInt16(Vl53l1xRegister register, ushort value)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)register);
        BinaryPrimitives.WriteUInt16BigEndian(data[2..], value);
        _device.Write(data);
    }

    private void WriteUInt32(Vl53l1xRegister register, uint value)
    {
        Span<byte> data = stackalloc byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)register);
        BinaryPrimitives.WriteUInt32BigEndian(data[2..], value);
        _device.Write(data);
    }
}
