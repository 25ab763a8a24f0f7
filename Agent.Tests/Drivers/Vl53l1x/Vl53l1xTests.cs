using ShelfAgent.Drivers.Vl53l1x;
using ShelfAgent.Hardware;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Drivers.Vl53l1x;

// Inside the namespace on purpose: the test namespace ShelfAgent.Tests.Drivers.Vl53l1x would otherwise hide the chip class.
#pragma warning disable IDE0065
using Vl53l1x = ShelfAgent.Drivers.Vl53l1x.Vl53l1x;
#pragma warning restore IDE0065

public sealed class Vl53l1xTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly FakeI2cBus _bus = new(1);
    private readonly FakeVl53l1x _chip;

    public Vl53l1xTests()
    {
        _chip = new FakeVl53l1x(_clock);
        _bus.Chips[0x29] = _chip;
    }

    private async Task<Vl53l1x> StartedAsync(Vl53l1xSettings? settings = null)
    {
        var tof = new Vl53l1x(_bus.OpenDevice(0x29), settings ?? new Vl53l1xSettings(), _clock);
        await tof.InitializeAsync(CancellationToken.None);
        return tof;
    }

    [Fact]
    public async Task Initialize_writes_the_default_configuration_in_one_transfer_then_ranges()
    {
        using var tof = await StartedAsync();

        var block = Assert.Single(_bus.Log, m => !m.Read && m.Bytes.Length == 2 + 91);
        Assert.Equal(new byte[] { 0x00, 0x2D }, block.Bytes[..2]); // 16-bit index, MSB first (datasheet §4)
        Assert.Equal(0x20, _chip[0x46]); // interrupt on "new sample ready"
        Assert.Equal(0x01, _chip[0x30]); // interrupt active high
        Assert.Equal(0x09, _chip[0x08]); // VHV loop bound after the first ranging
        Assert.Equal(0x00, _chip[0x0B]);
        Assert.True(_chip.IsRanging);
        Assert.True(_chip.Results >= 1); // the VHV ranging of SensorInit
    }

    [Fact]
    public async Task Short_mode_sets_the_ulds_short_mode_registers()
    {
        using var tof = await StartedAsync(new Vl53l1xSettings(Vl53l1xDistanceMode.Short, 50));

        Assert.Equal(0x14, _chip[0x4B]);
        Assert.Equal(0x07, _chip[0x60]);
        Assert.Equal(0x05, _chip[0x63]);
        Assert.Equal(0x38, _chip[0x69]);
        Assert.Equal(0x0705, _chip.Word(0x78));
        Assert.Equal(0x0606, _chip.Word(0x7A));
    }

    [Fact]
    public async Task Long_mode_sets_the_ulds_long_mode_registers()
    {
        using var tof = await StartedAsync(new Vl53l1xSettings(Vl53l1xDistanceMode.Long, 100));

        Assert.Equal(0x0A, _chip[0x4B]);
        Assert.Equal(0x0F, _chip[0x60]);
        Assert.Equal(0x0D, _chip[0x63]);
        Assert.Equal(0xB8, _chip[0x69]);
        Assert.Equal(0x0F0D, _chip.Word(0x78));
        Assert.Equal(0x0E0E, _chip.Word(0x7A));
    }

    [Theory]
    [InlineData(Vl53l1xDistanceMode.Short, 15)]
    [InlineData(Vl53l1xDistanceMode.Short, 20)]
    [InlineData(Vl53l1xDistanceMode.Short, 33)]
    [InlineData(Vl53l1xDistanceMode.Short, 50)]
    [InlineData(Vl53l1xDistanceMode.Short, 100)]
    [InlineData(Vl53l1xDistanceMode.Short, 200)]
    [InlineData(Vl53l1xDistanceMode.Short, 500)]
    [InlineData(Vl53l1xDistanceMode.Long, 20)]
    [InlineData(Vl53l1xDistanceMode.Long, 33)]
    [InlineData(Vl53l1xDistanceMode.Long, 50)]
    [InlineData(Vl53l1xDistanceMode.Long, 100)]
    [InlineData(Vl53l1xDistanceMode.Long, 200)]
    [InlineData(Vl53l1xDistanceMode.Long, 500)]
    public async Task Timing_budget_writes_the_macro_periods_of_the_mode(Vl53l1xDistanceMode mode, int budgetMs)
    {
        using var tof = await StartedAsync(new Vl53l1xSettings(mode, budgetMs));

        Assert.Equal(budgetMs, _chip.TimingBudgetMs);
    }

    [Fact]
    public void Fifteen_ms_is_refused_in_long_mode()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new Vl53l1x(_bus.OpenDevice(0x29), new Vl53l1xSettings(Vl53l1xDistanceMode.Long, 15), _clock));

    [Fact]
    public async Task Intermeasurement_period_is_the_budget_times_the_oscillator_calibration_times_1_075()
    {
        _chip.OscCalibrate = 0xFDC3; // bits 15:10 are not part of the calibration

        using var tof = await StartedAsync(new Vl53l1xSettings(Vl53l1xDistanceMode.Short, 50));

        Assert.Equal((uint)(0x1C3 * 50 * 1.075), _chip.DoubleWord(0x6C)); // 451 × 50 × 1.075 = 24241
        Assert.Equal(24_241u, _chip.DoubleWord(0x6C));
    }

    [Fact]
    public async Task Initialize_waits_for_the_firmware_to_boot()
    {
        _chip.BootTime = TimeSpan.FromMilliseconds(20);

        using var tof = await StartedAsync();

        Assert.True(_clock.Elapsed >= TimeSpan.FromMilliseconds(20));
        Assert.True(_chip.IsRanging);
    }

    [Fact]
    public async Task A_chip_that_never_boots_times_out_naming_the_boot()
    {
        _chip.BootTime = TimeSpan.FromHours(1);
        using var tof = new Vl53l1x(_bus.OpenDevice(0x29), new Vl53l1xSettings(), _clock);

        var e = await Assert.ThrowsAsync<HardwareTimeoutException>(() => tof.InitializeAsync(CancellationToken.None).AsTask());

        Assert.Contains("the firmware to boot", e.Message, StringComparison.Ordinal);
        Assert.Contains("0x29 on bus 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_model_at_0x29_is_named_not_a_vl53l1x()
    {
        _chip.SetModelId(0xEBAA); // a VL53L4CD answers at 0x29 too
        using var tof = new Vl53l1x(_bus.OpenDevice(0x29), new Vl53l1xSettings(), _clock);

        var e = await Assert.ThrowsAsync<HardwareException>(() => tof.InitializeAsync(CancellationToken.None).AsTask());

        Assert.Equal(
            "the device at 0x29 on bus 1 is not a VL53L1X (model id register 0x010F reads 0xEBAA, expected 0xEACC; a VL53L0X also answers at 0x29)",
            e.Message);
        Assert.DoesNotContain(_bus.Log, m => !m.Read && m.Bytes.Length > 2); // nothing written to a chip it does not know
    }

    [Theory]
    [InlineData(9, 500, Vl53l1xRangeStatus.Valid)]
    [InlineData(9, 40, Vl53l1xRangeStatus.Valid)]
    [InlineData(4, 0, Vl53l1xRangeStatus.SignalFail)]
    [InlineData(6, 812, Vl53l1xRangeStatus.SigmaFail)]
    [InlineData(5, 1400, Vl53l1xRangeStatus.OutOfBounds)]
    [InlineData(7, 35, Vl53l1xRangeStatus.WrapAround)]
    [InlineData(0b1110_1001, 500, Vl53l1xRangeStatus.Valid)] // only bits 4:0 are the status
    public async Task Read_returns_the_distance_and_the_range_status(byte rawStatus, int mm, Vl53l1xRangeStatus expected)
    {
        using var tof = await StartedAsync();
        _chip.DistanceMm = mm;
        _chip.RawRangeStatus = rawStatus;

        var m = await tof.ReadAsync(CancellationToken.None);

        Assert.Equal(new Vl53l1xMeasurement(mm, expected), m);
    }

    [Fact]
    public async Task Each_read_waits_for_a_new_result_and_clears_the_interrupt()
    {
        using var tof = await StartedAsync(new Vl53l1xSettings(Vl53l1xDistanceMode.Short, 33));
        var results = _chip.Results;
        var clears = _chip.InterruptClears;
        var start = _clock.Elapsed;

        for (var i = 0; i < 3; i++)
        {
            await tof.ReadAsync(CancellationToken.None);
        }

        Assert.Equal(results + 3, _chip.Results);
        Assert.Equal(clears + 3, _chip.InterruptClears);
        Assert.True(_clock.Elapsed - start >= TimeSpan.FromMilliseconds(3 * 33 - 1));
    }

    [Fact]
    public async Task A_chip_that_stops_ranging_times_out_the_read()
    {
        using var tof = await StartedAsync(new Vl53l1xSettings(ReadyTimeout: TimeSpan.FromMilliseconds(300)));
        _chip.Stalled = true;

        var e = await Assert.ThrowsAsync<HardwareTimeoutException>(() => tof.ReadAsync(CancellationToken.None).AsTask());

        Assert.Contains("timed out after 300 ms waiting for a ranging result", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    // UM2510 CheckForDataReady: ready when TIO_HV_STATUS bit 0 equals the active level (GPIO_HV_MUX__CTRL bit 4 = 0: high).
    [InlineData(0b0000_0001, 0b0000_0011, true)]
    [InlineData(0b0000_0001, 0b0000_0010, false)] // bit 1 set but no result: a "register != 0" test would say ready
    [InlineData(0b0001_0001, 0b0000_0000, true)]  // active low
    [InlineData(0b0001_0001, 0b0000_0001, false)]
    public void Data_ready_follows_the_interrupt_polarity(byte muxCtrl, byte tioStatus, bool ready)
        => Assert.Equal(ready, Vl53l1x.IsDataReady(muxCtrl, tioStatus));

    [Fact]
    public void The_result_block_decodes_status_and_big_endian_millimetres()
    {
        var block = new byte[15];
        block[0] = 0x09;
        block[13] = 0x01; // 0x96
        block[14] = 0xF4; // 0x97: 0x01F4 = 500 mm

        Assert.Equal(new Vl53l1xMeasurement(500, Vl53l1xRangeStatus.Valid), Vl53l1x.ToMeasurement(block));
    }

    [Fact]
    public async Task Stop_ranging_clears_mode_start()
    {
        using var tof = await StartedAsync();

        tof.StopRanging();

        Assert.False(_chip.IsRanging);
        Assert.Equal(0x00, _chip[0x87]);
    }

    public void Dispose() => _bus.Dispose();
}
