using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>The rush level: a drain much faster than the hour-long level knows moves near stock-outs only (issue 20).</summary>
public sealed class SlotDemandTests
{
    [Fact]
    public void A_rush_raises_the_rate_of_the_next_minutes_and_leaves_the_rate_hours_ahead_to_the_hour_long_level()
    {
        var rushed = new SlotDemand(new WeeklyDemand(), Profile(6));
        var steady = new SlotDemand(new WeeklyDemand(), Profile(6));
        var start = Monday.AddHours(9);
        // An hour as the profile says (one pick every 10 minutes), then six picks in six minutes for the rushed slot.
        for (var m = 1; m <= 70; m++)
        {
            var at = start.AddMinutes(m);
            rushed.ObserveExposure(at, TimeSpan.FromMinutes(1));
            steady.ObserveExposure(at, TimeSpan.FromMinutes(1));
            var usual = m % 10 == 0 ? 1 : 0;
            steady.ObservePicks(at, usual);
            rushed.ObservePicks(at, m is > 60 and <= 66 ? 1 : usual);
        }

        var now = start.AddMinutes(70);
        var hourLong = 6 * (1 + ((rushed.Level - 1) * Math.Exp(-2 / SlotDemand.LevelPersistence.TotalHours)));
        Assert.True(rushed.RushLevel > rushed.Level + 0.3, $"rush {rushed.RushLevel:0.00}, level {rushed.Level:0.00}");
        Assert.True(rushed.RateAt(now, now) > 1.3 * rushed.RateAt(now, now.AddHours(2)), "the rush holds for the next minutes only");
        Assert.InRange(rushed.RateAt(now, now.AddHours(2)), hourLong, hourLong + 0.1);
        Assert.InRange(steady.RateAt(now, now), 5, 7);
        Assert.InRange(steady.RateAt(now, now) - steady.RateAt(now, now.AddMinutes(30)), -0.6, 0.6);
    }

    [Fact]
    public void A_rush_moves_a_stock_out_due_within_the_half_hour_above_the_confidence_it_would_miss_without()
    {
        var rushed = new SlotDemand(new WeeklyDemand(), Profile(6));
        var steady = new SlotDemand(new WeeklyDemand(), Profile(6));
        var start = Monday.AddHours(9);
        for (var m = 1; m <= 60; m++)
        {
            var at = start.AddMinutes(m);
            rushed.ObserveExposure(at, TimeSpan.FromMinutes(1));
            steady.ObserveExposure(at, TimeSpan.FromMinutes(1));
            steady.ObservePicks(at, m % 10 == 0 ? 1 : 0);
            // The usual pace, then eight items in the last quarter hour.
            rushed.ObservePicks(at, (m % 10 == 0 && m < 45) || (m >= 45 && m % 2 == 0) ? 1 : 0);
        }

        var now = start.AddMinutes(60);
        var withRush = TimeToEmpty.Estimate(rushed, now, 6, TimeSpan.FromMinutes(30));
        var without = TimeToEmpty.Estimate(steady, now, 6, TimeSpan.FromMinutes(30));

        Assert.True(without.Probability < 0.2, $"P = {without.Probability:0.000} at the usual pace");
        Assert.True(withRush.Probability > 0.5, $"P = {withRush.Probability:0.000} in a rush");
    }
}
