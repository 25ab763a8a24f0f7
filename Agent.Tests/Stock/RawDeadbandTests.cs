using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Stock;

public sealed class RawDeadbandTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static Reading Sample(int second, double grams, int count = 11) => new(Minute.AddSeconds(second), "A1", "COLA-355", grams, count, StockStatus.Ok);

    [Fact]
    public void Keeps_a_sample_only_when_it_moved_past_the_deadband_from_the_last_kept()
    {
        var deadband = new RawDeadband(2.0);
        double[] grams = [4000, 4001, 4002, 4001.5, 4002.5, 4004.6, 4003];
        var kept = grams.Select((g, s) => deadband.Keep([Sample(s, g)]).Count).ToArray();

        // 4000 kept; 4001..4001.5 within 2 g of it; 4002.5 is 2.5 g off; 4004.6 2.1 g off 4002.5; 4003 within 1.6 g of 4004.6.
        Assert.Equal([1, 0, 0, 0, 1, 1, 0], kept);
    }

    [Fact]
    public void Keeps_a_count_change_and_the_first_sample_of_each_minute()
    {
        var deadband = new RawDeadband(50);
        Assert.Single(deadband.Keep([Sample(0, 4000)]));
        Assert.Empty(deadband.Keep([Sample(1, 4001)]));
        Assert.Single(deadband.Keep([Sample(2, 3990, count: 10)]));
        Assert.Single(deadband.Keep([Sample(60, 3990, count: 10)]));
    }

    [Fact]
    public void Keeps_every_sample_at_zero_deadband_unless_it_repeats_exactly()
    {
        var deadband = new RawDeadband(0);
        Assert.Equal(3, deadband.Keep([Sample(0, 1), Sample(1, 1.1), Sample(2, 1.2)]).Count);
        Assert.Empty(deadband.Keep([Sample(3, 1.2)]));
    }
}
