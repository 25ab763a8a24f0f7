using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>The spread of items picked in a horizon: learned pick sizes and the demand's own uncertainty.</summary>
public sealed class DispersionTests
{
    [Fact]
    public void Dispersion_is_one_when_every_pick_takes_one_item_and_grows_with_multi_item_picks()
    {
        var single = new SlotDemand(new WeeklyDemand(), null);
        var bursty = new SlotDemand(new WeeklyDemand(), null);
        for (var i = 0; i < 100; i++)
        {
            single.ObservePicks(Monday.AddMinutes(i), 1);
            bursty.ObservePicks(Monday.AddMinutes(i), i % 2 == 0 ? 1 : 3);
        }

        Assert.Equal(1, single.Dispersion, 9);
        // E[X²]/E[X] = (1 + 9)/(1 + 3) = 2.5, pulled a little toward 1 by the 10-item prior.
        Assert.InRange(bursty.Dispersion, 2.3, 2.5);
    }

    [Fact]
    public void Variance_adds_the_uncertainty_of_the_mean_to_the_compound_count()
    {
        Assert.Equal((2 * 10) + (0.09 * 100), TimeToEmpty.Variance(10, 2), 9);
        // A dispersion below 1 (too few picks to tell) is not allowed to narrow the count below Poisson.
        Assert.Equal(10 + (0.09 * 100), TimeToEmpty.Variance(10, 0.5), 9);
    }
}
