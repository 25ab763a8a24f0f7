using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>The forecaster's math on hand-built traces (issue 13).</summary>
public sealed class ForecasterTraceTests
{
    [Fact]
    public void Steady_depletion_raises_one_alert_whose_expected_time_is_the_real_empty_time()
    {
        // 12 picks an hour, as the cloud profile says and the slot does: 24 items last two hours.
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 1, TimeSpan.FromMinutes(5));
        var emptyAt = trace.Now;
        trace.Hold(0, TimeSpan.FromMinutes(5));

        var raised = Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));
        Assert.InRange(emptyAt - raised.Timestamp, TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(60));
        Assert.InRange((raised.ExpectedEmpty!.Value - emptyAt).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Assert.InRange(raised.Probability!.Value, 0.8, 1);
        Assert.InRange(raised.RatePerHour!.Value, 9, 15);
        Assert.Equal(60, raised.HorizonMinutes);
        Assert.Empty(trace.Alerts(StockAlertType.PredictedEmptyCleared));
        Assert.Single(trace.Alerts(StockAlertType.Empty));
    }

    [Fact]
    public void A_lunch_peak_ahead_is_integrated_not_the_quiet_rate_of_now()
    {
        // Monday: 2 picks/hour, but 30 between 12:00 and 13:00.
        var demand = new SlotDemand(new WeeklyDemand(), Profile(2, (12, 30)));
        var at1040 = TimeToEmpty.Estimate(demand, Monday.AddHours(10).AddMinutes(40), 10, TimeSpan.FromMinutes(60));
        var at1130 = TimeToEmpty.Estimate(demand, Monday.AddHours(11).AddMinutes(30), 10, TimeSpan.FromMinutes(60));

        // A flat 2/h would say 5 hours; the integral reaches 10 picks about 18 minutes into the peak.
        Assert.Equal(2, at1130.RatePerHour, 3);
        Assert.InRange(at1130.ExpectedEmpty!.Value, Monday.AddHours(12).AddMinutes(15), Monday.AddHours(12).AddMinutes(20));
        Assert.True(at1130.Probability >= 0.8, $"P = {at1130.Probability}");
        Assert.True(at1040.Probability < 0.01, $"P = {at1040.Probability}");
    }

    [Fact]
    public void A_promotion_moves_the_rate_within_the_hour_and_the_weekly_shape_stays()
    {
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(3)]);
        // 4× the usual demand for 45 minutes: one pick every 5 minutes.
        trace.Deplete(24, 16, TimeSpan.FromMinutes(5));
        var demand = new SlotDemand(new WeeklyDemand(), Profile(3));
        var level = trace.Pipeline.Forecast(trace.Now).Slots[0].RatePerHour / 3;

        Assert.True(level >= 2, $"rate is {level:0.00}× the profile after 45 minutes of a promotion");
        Assert.Equal(3, demand.BaseRate(HourOfWeek.Of(trace.Now.AddHours(30))), 6);

        // Then back to normal (3 an hour): the level returns to the shape within a few hours.
        trace.Deplete(16, 4, TimeSpan.FromMinutes(20));
        var after = trace.Pipeline.Forecast(trace.Now).Slots[0].RatePerHour;
        Assert.InRange(after, 1.5, 4.5);
    }

    [Fact]
    public void A_restock_just_before_empty_clears_the_alert_as_restocked()
    {
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 2, TimeSpan.FromMinutes(5));
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));

        trace.Hold(24, TimeSpan.FromMinutes(2));

        var cleared = Assert.Single(trace.Alerts(StockAlertType.PredictedEmptyCleared));
        Assert.Equal("restocked", cleared.Reason);
        Assert.Equal(24, cleared.Count);
        Assert.Empty(trace.Alerts(StockAlertType.Empty));
    }

    [Fact]
    public void Danger_that_passes_is_cleared_as_danger_passed()
    {
        // Selling as the profile says, then nobody buys any more (the aisle is closed off): the online level falls.
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 4, TimeSpan.FromMinutes(5));
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));

        trace.Hold(4, TimeSpan.FromHours(3));

        var cleared = Assert.Single(trace.Alerts(StockAlertType.PredictedEmptyCleared));
        Assert.Equal("danger-passed", cleared.Reason);
    }

    [Fact]
    public void A_hand_resting_on_the_shelf_is_neither_a_restock_nor_a_clear()
    {
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 3, TimeSpan.FromMinutes(5));
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));
        var eventsBefore = trace.Messages.OfType<StockEvent>().Count();

        // A hand of 1.2 kg for two readings (30 s): three bottles' worth, never settled.
        trace.Read(3, extraGrams: 1200);
        trace.Read(3, extraGrams: 1200);
        trace.Hold(3, TimeSpan.FromMinutes(2));

        Assert.Equal(eventsBefore, trace.Messages.OfType<StockEvent>().Count());
        Assert.Empty(trace.Alerts(StockAlertType.PredictedEmptyCleared));
    }

    [Fact]
    public void A_sensor_fault_in_the_middle_pauses_prediction_without_losing_the_episode()
    {
        var trace = new ForecastTraces(Monday.AddHours(9), [Profile(12)]);
        trace.Deplete(24, 5, TimeSpan.FromMinutes(5));
        var raisedBefore = trace.Alerts(StockAlertType.PredictedEmpty).Count;

        trace.Hold(null, TimeSpan.FromMinutes(20));
        var duringFault = trace.Forecasts.Last();
        trace.Deplete(5, 1, TimeSpan.FromMinutes(5));
        trace.Hold(0, TimeSpan.FromMinutes(2));

        Assert.Null(duringFault.Slots[0].Count);
        Assert.Null(duringFault.Slots[0].ExpectedEmpty);
        Assert.Single(trace.Alerts(StockAlertType.Fault));
        Assert.Single(trace.Alerts(StockAlertType.Recovered));
        Assert.Equal(1, raisedBefore);
        Assert.Single(trace.Alerts(StockAlertType.PredictedEmpty));
        Assert.Empty(trace.Alerts(StockAlertType.PredictedEmptyCleared));
    }

    [Fact]
    public void Forecasts_come_every_interval_on_its_boundaries_with_the_profile_used()
    {
        var trace = new ForecastTraces(Monday.AddHours(9).AddMinutes(7), [Profile(6)]);
        trace.Hold(20, TimeSpan.FromMinutes(60));

        var forecasts = trace.Forecasts;
        Assert.Equal(
            [Monday.AddHours(9).AddMinutes(15), Monday.AddHours(9).AddMinutes(30), Monday.AddHours(9).AddMinutes(45), Monday.AddHours(10)],
            forecasts.Select(f => f.Timestamp));
        var slot = forecasts[^1].Slots[0];
        Assert.Equal(ProfileSource.Cloud, slot.Profile);
        Assert.Equal(20, slot.Count);
        Assert.NotNull(slot.ExpectedEmpty);
        Assert.InRange(slot.ProbEmpty!.Value, 0, 0.01);
    }

    [Fact]
    public void Without_profile_or_history_the_recent_picks_drive_the_rate()
    {
        var trace = new ForecastTraces(Monday.AddHours(9));
        trace.Deplete(24, 12, TimeSpan.FromMinutes(3));

        var slot = trace.Pipeline.Forecast(trace.Now).Slots[0];
        Assert.Equal(ProfileSource.None, slot.Profile);
        Assert.InRange(slot.RatePerHour, 8, 25);
    }
}
