using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>Today's level as an ordinary or an unusual day, weighed by the evidence (issue 20).</summary>
public sealed class DemandLevelTests
{
    [Fact]
    public void A_burst_of_a_few_grabs_stays_an_ordinary_day()
    {
        // 6 picks an hour expected; three customers in five minutes where half a customer was expected.
        var demand = new SlotDemand(new WeeklyDemand(), Profile(6));
        demand.ObserveExposure(Monday.AddHours(10).AddMinutes(5), TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++)
        {
            demand.ObservePicks(Monday.AddHours(10).AddMinutes(5), 1);
        }

        var (ordinary, unusual) = demand.Regimes;
        Assert.True(unusual.Weight < 0.5, $"unusual weight {unusual.Weight:0.00}");
        Assert.InRange(ordinary.Level, 1.05, 1.4);
        // The single broad level of before read the same burst as (3 + 1.5)/(0.5 + 1.5) = 2.25× the shape.
        Assert.True(demand.Level < 1.8, $"level {demand.Level:0.00}");
    }

    [Fact]
    public void A_sustained_rise_switches_to_an_unusual_day_within_the_hour()
    {
        // 6 picks an hour expected, 18 sold: a promotion tripling demand, one pick every 3.3 minutes.
        var demand = new SlotDemand(new WeeklyDemand(), Profile(6));
        var at = Monday.AddHours(10);
        for (var minute = 0; minute < 60; minute++)
        {
            at = at.AddMinutes(1);
            demand.ObserveExposure(at, TimeSpan.FromMinutes(1));
            if (minute % 10 is 0 or 3 or 6)
            {
                demand.ObservePicks(at, 1);
            }
        }

        var (_, unusual) = demand.Regimes;
        Assert.True(unusual.Weight > 0.8, $"unusual weight {unusual.Weight:0.00}");
        Assert.InRange(unusual.Level, 2, 3.5);
        Assert.True(demand.Level >= 2, $"level {demand.Level:0.00}");
    }

    [Fact]
    public void A_day_that_sells_as_the_shape_says_is_ordinary_at_level_one()
    {
        var demand = new SlotDemand(new WeeklyDemand(), Profile(6));
        var at = Monday.AddHours(10);
        for (var minute = 0; minute < 120; minute++)
        {
            at = at.AddMinutes(1);
            demand.ObserveExposure(at, TimeSpan.FromMinutes(1));
            if (minute % 10 == 0)
            {
                demand.ObservePicks(at, 1);
            }
        }

        var (ordinary, unusual) = demand.Regimes;
        Assert.True(ordinary.Weight > 0.9, $"ordinary weight {ordinary.Weight:0.00}");
        Assert.InRange(demand.Level, 0.9, 1.1);
        Assert.Equal(1, ordinary.Weight + unusual.Weight, 9);
    }

    [Fact]
    public void P_empty_mixes_the_regimes_so_a_burst_does_not_announce_a_stock_out_the_shape_does_not_expect()
    {
        // 6 items left, 3 picks an hour expected over the next hour: no danger on an ordinary day, even after a burst.
        var demand = new SlotDemand(new WeeklyDemand(), Profile(3));
        var now = Monday.AddHours(10).AddMinutes(5);
        demand.ObserveExposure(now, TimeSpan.FromMinutes(5));
        for (var i = 0; i < 3; i++)
        {
            demand.ObservePicks(now, 1);
        }

        var estimate = TimeToEmpty.Estimate(demand, now, 6, TimeSpan.FromMinutes(60));

        Assert.True(estimate.Probability < 0.5, $"P = {estimate.Probability:0.00}");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(10, 12.801827480081469)] // ln 9!
    [InlineData(0.5, 0.5723649429247001)] // ln √π
    [InlineData(0.1, 2.252712651734206)]
    public void LogGamma_matches_known_values(double x, double expected)
        => Assert.Equal(expected, LogGamma.Of(x), 12);
}
