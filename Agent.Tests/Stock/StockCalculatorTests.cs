using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Stock;

public sealed class StockCalculatorTests
{
    private static readonly SlotOptions Cola = new() { Id = "A1", Sku = "COLA-355", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 };

    [Theory]
    [InlineData(150, 0)]            // empty tray
    [InlineData(150 + 368, 1)]
    [InlineData(4213.5, 11)]        // the contract's example: (4213.5 − 150) / 368 = 11.04
    [InlineData(150 + (368 * 11.5), 12)] // midpoint rounds away from zero
    [InlineData(150 + (368 * 11.49), 11)]
    [InlineData(0, 0)]              // below tare clamps to zero
    [InlineData(-500, 0)]
    [InlineData(150 + (368 * 30), 24)] // above capacity clamps
    public void Count_is_rounded_net_weight_over_unit_weight_clamped_to_capacity(double grams, int expected)
        => Assert.Equal(expected, StockCalculator.Count(grams, Cola));

    [Theory]
    [InlineData(0, StockStatus.Empty)]
    [InlineData(1, StockStatus.Low)]
    [InlineData(4, StockStatus.Low)]
    [InlineData(5, StockStatus.Ok)]
    [InlineData(24, StockStatus.Ok)]
    public void Status_follows_count_and_low_stock_threshold(int count, StockStatus expected)
        => Assert.Equal(expected, StockCalculator.Status(count, Cola));

    [Fact]
    public void Reading_is_a_fault_with_no_grams_or_count_when_the_sensor_failed()
    {
        var r = StockCalculator.ToReading(DateTimeOffset.UnixEpoch, Cola, null, "timeout: not ready");

        Assert.Equal((null, null, StockStatus.Fault, "timeout: not ready"), (r.Grams, r.Count, r.Status, r.Reason));
    }

    [Fact]
    public void Reading_rounds_grams_to_a_tenth_and_derives_count_and_status()
    {
        var r = StockCalculator.ToReading(DateTimeOffset.UnixEpoch, Cola, 1622.04, null);

        Assert.Equal((1622.0, 4, StockStatus.Low), (r.Grams!.Value, r.Count!.Value, r.Status));
    }

    [Fact]
    public void Count_is_never_outside_zero_to_capacity_for_any_weight()
    {
        FsCheck.Check.QuickThrowOnFailure(FsCheck.Fluent.Prop.ForAll<double>(g =>
        {
            var c = StockCalculator.Count(g, Cola);
            return c >= 0 && c <= Cola.Capacity;
        }));
    }
}
