using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Sensors;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Sensors;

/// <summary>Sensors built by <see cref="SensorFactory"/> over fake buses modelling the chips, wrapped as the sampler uses them.</summary>
public sealed class HardwareSensorTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeHardware _hardware = new();

    private ResilientSensor Wrap(SensorOptions o, Calibration? calibration) => new(
        "A1",
        SensorFactory.CreateHardware(o, _clock, _hardware),
        calibration,
        new SensorHealthMonitor(SensorFactory.HealthLimits(o)),
        _clock,
        NullLogger.Instance);

    [Fact]
    public async Task Hx711_slot_reports_the_median_of_its_samples_in_grams()
    {
        var chip = new FakeHx711(_clock, [1000, 1010, 990, 500_000, 1005]);
        _hardware.GpioChips[0] = new FakeGpioChip(0, chip, 5, 6);
        var o = new SensorOptions { Type = SensorType.Hx711, DataLine = 5, ClockLine = 6, Samples = 5 };
        await using var sensor = Wrap(o, new Calibration(0, 0.5));

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Equal(new SensorSample(1005, 502.5, null), sample);
    }

    [Fact]
    public async Task Nau7802_slot_initialises_the_chip_and_reads_its_code()
    {
        var chip = new FakeNau7802(_clock) { InputVolts = 0.001 };
        _hardware.Buses[1] = new FakeI2cBus(1) { Chips = { [0x2A] = chip } };
        var o = new SensorOptions { Type = SensorType.Nau7802, Samples = 3 };
        await using var sensor = Wrap(o, new Calibration(0, 1));

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Null(sample.FaultReason);
        Assert.Equal(325_376, sample.Raw);
        Assert.Equal(1, chip.Calibrations);
    }

    [Fact]
    public async Task Ads1115_slot_maps_volts_through_the_curve()
    {
        var chip = new FakeAds1115(_clock);
        chip.Inputs[1] = 1.65;
        _hardware.Buses[1] = new FakeI2cBus(1) { Chips = { [0x49] = chip } };
        var o = new SensorOptions
        {
            Type = SensorType.Ads1115,
            Address = "0x49",
            Input = "AIN1",
            Samples = 1,
            Curve = [new() { Volts = 1.0, Value = 300 }, new() { Volts = 2.3, Value = 100 }],
        };
        await using var sensor = Wrap(o, Calibration.Identity);

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Equal(200, sample.Raw!.Value, 1);
    }

    [Fact]
    public async Task A_missing_bus_is_a_fault_with_the_enable_hint_and_is_retried_after_backoff()
    {
        var o = new SensorOptions { Type = SensorType.Nau7802 };
        await using var sensor = Wrap(o, Calibration.Identity);

        var first = await sensor.SampleAsync(CancellationToken.None);
        var during = await sensor.SampleAsync(CancellationToken.None);

        Assert.StartsWith("unavailable: /dev/i2c-1 not found: I2C is not enabled", first.FaultReason, StringComparison.Ordinal);
        Assert.Equal(first, during);
        Assert.Equal(1, _hardware.I2cOpens); // not asked again during the backoff

        _clock.Advance(TimeSpan.FromSeconds(1));
        await sensor.SampleAsync(CancellationToken.None);
        Assert.Equal(2, _hardware.I2cOpens);
        Assert.Equal(2, sensor.ConsecutiveFaults);
    }

    [Fact]
    public async Task A_nack_becomes_a_fault_and_the_sensor_recovers_when_the_chip_answers()
    {
        var bus = new FakeI2cBus(1);
        _hardware.Buses[1] = bus;
        var o = new SensorOptions { Type = SensorType.Ads1115, Samples = 1 };
        await using var sensor = Wrap(o, Calibration.Identity);

        var fault = await sensor.SampleAsync(CancellationToken.None);
        Assert.Equal("nack: no device answered at 0x48 on bus 1: check wiring and address", fault.FaultReason);

        var chip = new FakeAds1115(_clock);
        chip.Inputs[0] = 1.0;
        bus.Chips[0x48] = chip;
        _clock.Advance(TimeSpan.FromSeconds(2));
        var ok = await sensor.SampleAsync(CancellationToken.None);

        Assert.Null(ok.FaultReason);
        Assert.Equal(1.0, ok.Grams!.Value, 3);
        Assert.Equal(0, sensor.ConsecutiveFaults);
    }

    [Fact]
    public async Task Hx711_not_ready_is_a_timeout_fault()
    {
        _hardware.GpioChips[0] = new FakeGpioChip(0, new FakeHx711(_clock, []), 5, 6);
        var o = new SensorOptions { Type = SensorType.Hx711, DataLine = 5, ClockLine = 6, ReadyTimeoutMs = 500 };
        await using var sensor = Wrap(o, Calibration.Identity);

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.StartsWith("timeout: HX711 not ready: DOUT (GPIO5) stayed high for 500 ms", sample.FaultReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saturated_converter_is_an_out_of_range_fault_without_backoff()
    {
        var chip = new FakeAds1115(_clock);
        chip.Inputs[0] = 5.0;
        _hardware.Buses[1] = new FakeI2cBus(1) { Chips = { [0x48] = chip } };
        await using var sensor = Wrap(new SensorOptions { Type = SensorType.Ads1115, Samples = 1 }, Calibration.Identity);

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.StartsWith("range: ADS1115 AIN0 is beyond ±4.096 V", sample.FaultReason, StringComparison.Ordinal);
        Assert.Equal(0, sensor.ConsecutiveFaults);
    }

    [Fact]
    public async Task A_stuck_load_cell_is_a_fault_after_ten_minutes()
    {
        var chip = new FakeHx711(_clock, Enumerable.Repeat(777u, 200).ToArray());
        _hardware.GpioChips[0] = new FakeGpioChip(0, chip, 5, 6);
        await using var sensor = Wrap(new SensorOptions { Type = SensorType.Hx711, DataLine = 5, ClockLine = 6, Samples = 1 }, Calibration.Identity);

        Assert.Null((await sensor.SampleAsync(CancellationToken.None)).FaultReason);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.StartsWith("stuck: raw value 777 unchanged", sample.FaultReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uncalibrated_slot_says_how_to_calibrate()
    {
        _hardware.GpioChips[0] = new FakeGpioChip(0, new FakeHx711(_clock, [42]), 5, 6);
        await using var sensor = Wrap(new SensorOptions { Type = SensorType.Hx711, DataLine = 5, ClockLine = 6, Samples = 1 }, calibration: null);

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Equal(42, sample.Raw);
        Assert.StartsWith("uncalibrated: run shelf-agent calibrate tare --slot A1", sample.FaultReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_not_swallowed_as_a_fault()
    {
        _hardware.GpioChips[0] = new FakeGpioChip(0, new FakeHx711(_clock, []), 5, 6);
        await using var sensor = Wrap(new SensorOptions { Type = SensorType.Hx711, DataLine = 5, ClockLine = 6 }, Calibration.Identity);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sensor.SampleAsync(cts.Token).AsTask());
    }

    [Fact]
    public void Simulated_is_not_a_hardware_type()
        => Assert.Throws<NotSupportedException>(() => SensorFactory.CreateHardware(new SensorOptions(), _clock, _hardware));
}
