using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Composition;
using ShelfAgent.Hardware;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.Sensors;

/// <summary>The VL53L1X level sensor over a fake bus modelling the chip, as the sampler uses it.</summary>
public sealed class Vl53l1xSensorTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeHardware _hardware = new();
    private readonly FakeVl53l1x _chip;

    public Vl53l1xSensorTests()
    {
        _chip = new FakeVl53l1x(_clock);
        _hardware.Buses[1] = new FakeI2cBus(1) { Chips = { [0x29] = _chip } };
    }

    // A 600 mm deep slot of 66 mm cans of 355 g on a 120 g pusher tray.
    private static SlotOptions Slot(int samples = 5) => new()
    {
        Id = "C1",
        Sku = "SODA-355",
        UnitGrams = 355,
        TareGrams = 120,
        Capacity = 9,
        LowStockAt = 2,
        Sensor = new SensorOptions { Type = SensorType.Vl53l1x, EmptyDistanceMm = 600, MmPerItem = 66, Samples = samples },
    };

    private ResilientSensor Wrap(SlotOptions slot)
        => SlotSensors.CreateResilient(slot, new CalibrationFile(), _clock, NullLoggerFactory.Instance, _hardware);

    [Theory]
    [InlineData(600, 0)]
    [InlineData(534, 1)]
    [InlineData(336, 4)]
    [InlineData(6, 9)]
    public async Task Distance_becomes_items_through_the_depth_per_item(int mm, int items)
    {
        _chip.DistanceMm = mm;
        await using var sensor = Wrap(Slot());

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Null(sample.FaultReason);
        Assert.Equal(mm, sample.Raw);
        Assert.Equal(120 + items * 355, sample.Grams!.Value, 6);
    }

    [Fact]
    public async Task A_minority_of_invalid_measurements_is_dropped()
    {
        _chip.DistanceMm = 336;
        await using var sensor = Wrap(Slot(samples: 5));
        await sensor.SampleAsync(CancellationToken.None); // initialised
        _chip.NextRawStatuses.Enqueue(4); // one signal failure among five

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Null(sample.FaultReason);
        Assert.Equal(336, sample.Raw);
    }

    [Fact]
    public async Task Mostly_invalid_measurements_are_a_fault_named_by_the_range_status()
    {
        _chip.DistanceMm = 0;
        _chip.RawRangeStatus = 4; // signal failure: nothing came back
        await using var sensor = Wrap(Slot(samples: 3));

        var sample = await sensor.SampleAsync(CancellationToken.None);

        Assert.Null(sample.Grams);
        Assert.Contains("3 of 3 measurements invalid, mostly signal failure", sample.FaultReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_sensor_is_a_fault_and_is_initialised_again_once_it_answers()
    {
        var bus = _hardware.Buses[1];
        bus.Chips.Remove(0x29);
        var o = Slot().Sensor;
        await using var raw = SensorFactory.CreateHardware(o, _clock, _hardware);

        await Assert.ThrowsAsync<I2cNackException>(() => raw.ReadRawAsync(CancellationToken.None).AsTask());
        bus.Chips[0x29] = _chip;
        _chip.DistanceMm = 402;

        Assert.Equal(402, await raw.ReadRawAsync(CancellationToken.None));
        Assert.True(_chip.IsRanging);
    }

    [Fact]
    public async Task Dispose_stops_ranging()
    {
        var raw = SensorFactory.CreateHardware(Slot().Sensor, _clock, _hardware);
        await raw.ReadRawAsync(CancellationToken.None);

        await raw.DisposeAsync();

        Assert.False(_chip.IsRanging);
    }

    [Fact]
    public void Describe_names_bus_address_mode_and_budget()
        => Assert.Equal("vl53l1x i2c-1 0x29 short 50 ms", SensorFactory.CreateHardware(Slot().Sensor, _clock, _hardware).Describe);

    [Fact]
    public void The_distance_map_needs_no_stored_calibration()
    {
        var calibration = SlotSensors.CalibrationFor(Slot(), new CalibrationFile());

        Assert.NotNull(calibration);
        Assert.Equal(120, calibration.ToGrams(600), 6);
        Assert.Equal(120 + 355, calibration.ToGrams(534), 6);
    }

    [Theory]
    [InlineData(600, 66, 600, 0)]
    [InlineData(600, 66, 204, 6)]
    [InlineData(600, 66, 633, -0.5)]
    [InlineData(1000, 25, 750, 10)]
    public void Items_are_the_distance_taken_from_empty_over_the_depth_per_item(double empty, double perItem, double mm, double items)
        => Assert.Equal(items, new DistanceLevel(empty, perItem).Items(mm), 9);
}
