using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Pipeline;
using ShelfAgent.Sensors;
using ShelfAgent.Sensors.Simulated;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Pipeline;

public sealed class SlotSamplerTests
{
    private static SlotOptions Slot(double faultProbability) => new()
    {
        Id = "B3",
        Sku = "ENERGY-250",
        UnitGrams = 275,
        TareGrams = 180,
        Capacity = 30,
        LowStockAt = 6,
        Sensor = new SensorOptions { PicksPerHour = 0, NoiseGrams = 0.5, FaultProbability = faultProbability, Seed = 5 },
    };

    private static SlotSampler Sampler(SlotOptions slot, TimeProvider clock) => new(
        slot,
        new ResilientSensor(
            slot.Id,
            new SimulatedLoadCell(slot, clock),
            SimulatedLoadCell.FactoryCalibration,
            new SensorHealthMonitor(new SensorHealthLimits(null, null, null)),
            clock,
            NullLogger.Instance),
        clock);

    [Fact]
    public async Task Reading_carries_grams_count_and_status_when_the_sensor_works()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var slot = Slot(0);
        var sampler = Sampler(slot, clock);

        var r = await sampler.SampleAsync(CancellationToken.None);

        Assert.Equal((30, StockStatus.Ok, null), (r.Count, r.Status, r.Reason));
        Assert.InRange(r.Grams!.Value, 180 + (30 * 275) - 20, 180 + (30 * 275) + 20);
    }

    [Fact]
    public async Task Failing_sensor_yields_fault_readings_with_its_reason_while_backing_off()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var slot = Slot(1.0);
        var sampler = Sampler(slot, clock);

        var first = await sampler.SampleAsync(CancellationToken.None);   // fails: 1 s backoff
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await sampler.SampleAsync(CancellationToken.None);  // fails: 2 s backoff
        clock.Advance(TimeSpan.FromSeconds(1));
        var skipped = await sampler.SampleAsync(CancellationToken.None); // inside the backoff: not asked

        Assert.All(new[] { first, second, skipped }, r => Assert.Equal(StockStatus.Fault, r.Status));
        Assert.Contains("simulated fault", first.Reason, StringComparison.Ordinal);
        Assert.Equal(second.Reason, skipped.Reason);
        Assert.Null(skipped.Grams);
    }
}
