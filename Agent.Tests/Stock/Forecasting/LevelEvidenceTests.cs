using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>The online level counts customers, not items, and says how sure it is of a lift.</summary>
public sealed class LevelEvidenceTests
{
    // A slot expected to sell 2 items an hour, watched for an hour in which `items` went, `perCustomer` at a time.
    private static SlotDemand Watched(int items, int perCustomer)
    {
        var demand = new SlotDemand(new WeeklyDemand(), Profile(2));
        var start = Monday.AddHours(10);
        for (var m = 1; m <= 60; m++)
        {
            demand.ObserveExposure(start.AddMinutes(m), TimeSpan.FromMinutes(1));
            if (m % (60 / (items / perCustomer)) == 0)
            {
                demand.ObservePicks(start.AddMinutes(m), perCustomer);
            }
        }

        return demand;
    }

    [Fact]
    public void Lifts_the_level_less_for_a_few_customers_grabbing_three_items_than_for_as_many_items_bought_one_by_one()
    {
        var grabs = Watched(12, perCustomer: 3);
        var singles = Watched(12, perCustomer: 1);

        Assert.True(singles.Level > 1.5, $"12 customers where 2 were expected: level {singles.Level}");
        Assert.True(grabs.Level < singles.Level, $"4 grabs of 3: level {grabs.Level}, 12 singles: {singles.Level}");
    }

    [Fact]
    public void Is_less_sure_of_a_level_read_from_few_customers_than_from_many()
    {
        var few = Watched(4, perCustomer: 1);
        var many = Watched(30, perCustomer: 1);

        Assert.True(few.LevelVariance > many.LevelVariance, $"few {few.LevelVariance}, many {many.LevelVariance}");
        Assert.True(few.LevelVariance <= 1 / SlotDemand.LevelPrior);
    }

    [Fact]
    public void Adds_no_level_uncertainty_while_demand_follows_the_shape()
    {
        var demand = new SlotDemand(new WeeklyDemand(), Profile(2));

        Assert.Equal(1, demand.Level, 9);
        Assert.Equal(0, demand.LiftShare(Monday, Monday.AddHours(1)), 9);
        Assert.Equal(TimeToEmpty.Variance(10, 2), TimeToEmpty.Variance(10, 2, 0, demand.LevelVariance), 9);
    }

    [Fact]
    public void Is_less_sure_a_slot_empties_when_the_rate_is_lifted_by_a_burst_of_few_customers()
    {
        // The same lifted rate, read from 4 three-item grabs or from 12 single picks: the grabs leave the lift
        // more uncertain (and smaller), so the probability of emptying 8 items within the hour is lower.
        var grabs = Watched(12, perCustomer: 3);
        var singles = Watched(12, perCustomer: 1);
        var now = Monday.AddHours(11);

        var p1 = TimeToEmpty.Estimate(grabs, now, 8, TimeSpan.FromHours(1)).Probability;
        var p2 = TimeToEmpty.Estimate(singles, now, 8, TimeSpan.FromHours(1)).Probability;

        Assert.True(p1 < p2, $"grabs {p1}, singles {p2}");
    }
}
