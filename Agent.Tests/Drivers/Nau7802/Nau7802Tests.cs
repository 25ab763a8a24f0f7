using ShelfAgent.Drivers.Nau7802;
using ShelfAgent.Hardware;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Drivers.Nau7802;

// Inside the namespace on purpose: the test namespace ShelfAgent.Tests.Drivers.Nau7802 would otherwise hide the chip class.
#pragma warning disable IDE0065
using Nau7802 = ShelfAgent.Drivers.Nau7802.Nau7802;
#pragma warning restore IDE0065

public sealed class Nau7802Tests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeI2cBus _bus = new(1);
    private readonly FakeNau7802 _chip;

    public Nau7802Tests()
    {
        _chip = new FakeNau7802(_clock);
        _bus.Chips[0x2A] = _chip;
    }

    private async Task<Nau7802> StartedAsync(Nau7802Settings? settings = null)
    {
        var nau = new Nau7802(_bus.OpenDevice(0x2A), settings ?? new Nau7802Settings(), _clock);
        await nau.InitializeAsync(CancellationToken.None);
        return nau;
    }

    [Fact]
    public async Task Initialize_resets_powers_up_configures_calibrates_and_starts_conversions()
    {
        await StartedAsync(new Nau7802Settings(Gain: 128, LdoVolts: 3.3, SamplesPerSecond: 80));

        Assert.Equal(1, _chip.Resets);
        Assert.Equal(1, _chip.Calibrations);
        // PU_CTRL: AVDDS | CS | PUR | PUA | PUD (CR may be set too).
        Assert.Equal(0b1001_1110, _chip[0x00] & 0b1101_1111);
        Assert.Equal(0b00_100_111, _chip[0x01]);  // VLDO 3.3 V = 0b100, GAINS 128 = 0b111
        Assert.Equal(0b0_011_0_0_00, _chip[0x02]); // CRS 80 SPS = 0b011, calibration done, no error
        Assert.Equal(0b0011_0000, _chip[0x15] & 0b0011_0000); // clock chopper off
        Assert.Equal(0b1000_0000, _chip[0x1C] & 0b1000_0000); // PGA output bypass capacitor
    }

    [Fact]
    public async Task The_first_write_after_reset_is_register_reset_then_digital_power_up()
    {
        await StartedAsync();

        var writes = _bus.Log.Where(m => !m.Read && m.Bytes.Length == 2).Select(m => (m.Bytes[0], m.Bytes[1])).ToList();
        Assert.Equal(((byte)0x00, (byte)0b0000_0001), writes[0]);
        Assert.Equal(((byte)0x00, (byte)0b0000_0010), writes[1]);
    }

    [Theory]
    // Code = Vin × gain / VREF × 2^23 (datasheet, ADC output): 1 mV, gain 128, LDO 3.3 V → 325 376.3.
    [InlineData(0.001, 128, 3.3, 325_376)]
    [InlineData(-0.001, 128, 3.3, -325_376)]
    [InlineData(0.010, 64, 4.5, 1_193_046)]
    [InlineData(0.0, 128, 3.3, 0)]
    [InlineData(0.1, 128, 3.3, 8_388_607)] // above full scale: clipped to 0x7FFFFF
    public async Task Reads_the_24_bit_code_for_the_input(double volts, int gain, double ldo, int expected)
    {
        using var nau = await StartedAsync(new Nau7802Settings(Gain: gain, LdoVolts: ldo));
        _chip.InputVolts = volts;
        await nau.ReadAsync(CancellationToken.None); // the conversion in flight when the input changed

        Assert.Equal(expected, await nau.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Internal_offset_calibration_removes_the_front_end_offset()
    {
        _chip.OffsetErrorCodes = 5000;
        using var nau = await StartedAsync();
        _chip.InputVolts = 0;

        Assert.Equal(0, await nau.ReadAsync(CancellationToken.None));
        Assert.Equal(new byte[] { 0x00, 0x13, 0x88 }, new[] { _chip[0x03], _chip[0x04], _chip[0x05] }); // OCAL1 = 5000
    }

    [Fact]
    public async Task Read_waits_for_cycle_ready_and_clears_it()
    {
        using var nau = await StartedAsync();

        await nau.ReadAsync(CancellationToken.None);

        Assert.Equal(0, _chip[0x00] & Nau7802Bits.CR);
        var conversions = _chip.Conversions;
        await nau.ReadAsync(CancellationToken.None);
        Assert.Equal(conversions + 1, _chip.Conversions);
    }

    [Fact]
    public async Task A_calibration_error_is_reported()
    {
        _chip.FailCalibration = true;

        var e = await Assert.ThrowsAsync<HardwareException>(() => StartedAsync());

        Assert.Contains("calibration failed (CAL_ERR)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_device_at_0x2A_is_a_nack_with_the_address_and_bus()
    {
        _bus.Chips.Clear();

        var e = await Assert.ThrowsAsync<I2cNackException>(() => StartedAsync());

        Assert.Equal("no device answered at 0x2A on bus 1: check wiring and address", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x7F, 0xFF, 0xFF }, 8_388_607)]
    [InlineData(new byte[] { 0x80, 0x00, 0x00 }, -8_388_608)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF }, -1)]
    [InlineData(new byte[] { 0x00, 0x00, 0x01 }, 1)]
    public void Result_bytes_are_24_bit_twos_complement_msb_first(byte[] bytes, int expected)
        => Assert.Equal(expected, Nau7802.ToCode(bytes));

    [Theory]
    [InlineData(3, 3.3, 10)]
    [InlineData(128, 5.0, 10)]
    [InlineData(128, 3.3, 15)]
    public void Rejects_settings_the_chip_does_not_have(int gain, double ldo, int rate)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new Nau7802(_bus.OpenDevice(0x2A), new Nau7802Settings(gain, ldo, rate), _clock));

    public void Dispose() => _bus.Dispose();
}
