using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>Picks seen over picks expected, both fading with one time constant.</summary>
public sealed class FadingLevelTests
{
    [Fact]
    public void Ratio_is_one_with_nothing_seen_and_fades_both_sums_with_the_time_constant()
    {
        var level = new FadingLevel(TimeSpan.FromMinutes(15));
        Assert.Equal(1, level.Ratio(1.5, 0.2, 6), 9);

        level.Expect(Monday, 1);
        level.See(Monday, 4);
        Assert.Equal((4 + 1.5) / (1 + 1.5), level.Ratio(1.5, 0.2, 6), 9);

        level.Expect(Monday.AddMinutes(15), 0);
        Assert.Equal(4 / Math.E, level.Seen, 9);
        Assert.Equal(1 / Math.E, level.Expected, 9);
        level.See(Monday.AddMinutes(15), 100);
        Assert.Equal(6, level.Ratio(1.5, 0.2, 6), 9);
    }
}
