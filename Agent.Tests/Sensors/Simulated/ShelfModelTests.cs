using ShelfAgent.Sensors;
using ShelfAgent.Sensors.Simulated;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Sensors.Simulated;

public sealed class ShelfModelTests
{
    private static SlotOptions Slot(double picksPerHour, int restockAt = 1, double noise = 2) => new()
    {
        Id = "A1",
        Sku = "COLA-355",
        UnitGrams = 368,
        TareGrams = 150,
        Capacity = 24,
        LowStockAt = 4,
        Sensor = new SensorOptions { PicksPerHour = picksPerHour, RestockAt = restockAt, NoiseGrams = noise },
    };

    [Fact]
    public void Weighs_tare_plus_items_within_noise_when_nothing_happens()
    {
        var model = new ShelfModel(Slot(0), new Random(1));

        var weights = Enumerable.Range(0, 1000).Select(_ => model.Weigh()).ToList();

        Assert.InRange(weights.Average(), 150 + (24 * 368) - 1, 150 + (24 * 368) + 1);
        Assert.All(weights, w => Assert.InRange(w, 150 + (24 * 368) - 15, 150 + (24 * 368) + 15));
    }

    [Fact]
    public void Customers_pick_about_the_configured_rate_over_a_day()
    {
        var model = new ShelfModel(Slot(40, restockAt: 1), new Random(7));

        for (var i = 0; i < 24 * 3600; i++)
        {
            model.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.InRange(model.Picks, 24 * 40 * 0.8, 24 * 40 * 1.2);
        Assert.True(model.Restocks > 0);
        Assert.InRange(model.Count, 0, 24);
    }

    [Fact]
    public void Slot_stays_empty_when_restocking_is_off()
    {
        var model = new ShelfModel(Slot(600, restockAt: -1), new Random(3));

        for (var i = 0; i < 3600; i++)
        {
            model.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, model.Count);
        Assert.Equal(0, model.Restocks);
    }
}
