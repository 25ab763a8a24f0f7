using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>Episodes that follow the shelf (issue 20): a restock ends the episode; danger after it is a new alert.</summary>
public sealed class PredictedEmptyTrackerTests
{
    [Fact]
    public void Does_clear_and_raise_again_with_a_later_expected_time_when_a_busy_day_empties_the_refill_too()
    {
        // 40 picks an hour: the refilled 24 items last 36 minutes, inside the one-hour horizon.
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(40)]);
        trace.Deplete(24, 8, TimeSpan.FromSeconds(90));
        var first = Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));

        trace.Hold(24, TimeSpan.FromMinutes(3));

        var cleared = Assert.Single(trace.Alerts(StockAlertType.PredictedEmptyCleared));
        Assert.Equal("restocked", cleared.Reason);
        var alerts = trace.Alerts(StockAlertType.PredictedEmpty);
        Assert.Equal(2, alerts.Count);
        Assert.True(alerts[1].Timestamp > cleared.Timestamp);
        Assert.True(alerts[1].ExpectedEmpty > first.ExpectedEmpty, $"{alerts[1].ExpectedEmpty} vs {first.ExpectedEmpty}");
    }

    [Fact]
    public void Does_clear_and_raise_nothing_when_a_quiet_day_refill_lasts_past_the_horizon()
    {
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 2, TimeSpan.FromMinutes(5));
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));

        trace.Hold(24, TimeSpan.FromMinutes(10));

        Assert.Equal("restocked", Assert.Single(trace.Alerts(StockAlertType.PredictedEmptyCleared)).Reason);
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));
    }

    [Fact]
    public void Does_not_end_the_episode_when_one_item_is_put_back()
    {
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 3, TimeSpan.FromMinutes(5));
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));

        trace.Hold(4, TimeSpan.FromMinutes(2));

        Assert.Empty(trace.Alerts(StockAlertType.PredictedEmptyCleared));
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));
    }

    [Fact]
    public void Does_not_raise_when_the_expected_empty_time_is_past_the_most_warning()
    {
        var tracker = new PredictedEmptyTracker(ForecastSettings.Default);
        var now = Monday.AddHours(9);
        var estimate = new EmptyEstimate(0.95, now.AddHours(5), 2);

        Assert.Null(tracker.Evaluate(now, "A1", "COLA-355", 6, estimate, false, TimeSpan.FromHours(8), now.AddHours(3)));
        var raised = tracker.Evaluate(now, "A1", "COLA-355", 6, estimate, false, TimeSpan.FromHours(8), now.AddHours(6));
        Assert.Equal(480, raised?.HorizonMinutes);
    }
}
