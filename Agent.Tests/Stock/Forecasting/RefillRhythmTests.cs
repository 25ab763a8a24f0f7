using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

public sealed class RefillRhythmTests
{
    private static RefillRhythm Daily(int days, int hour, int before = 5)
    {
        var rhythm = new RefillRhythm();
        rhythm.Watch(Monday);
        for (var d = 0; d < days; d++)
        {
            rhythm.Refilled(Monday.AddDays(d).AddHours(hour).AddMinutes(5), before);
        }

        rhythm.Watch(Monday.AddDays(days));
        return rhythm;
    }

    [Fact]
    public void Expects_the_next_refill_at_the_hour_of_the_daily_round()
    {
        var rhythm = Daily(14, 12);

        var next = rhythm.Next(Monday.AddDays(14).AddHours(10), TimeToEmpty.Reach);

        Assert.NotNull(next);
        Assert.InRange(next!.Value, Monday.AddDays(14).AddHours(12), Monday.AddDays(14).AddHours(13));
    }

    [Fact]
    public void Does_not_learn_a_clerk_filling_an_empty_slot()
    {
        var rhythm = Daily(14, 12, before: 0);

        Assert.False(rhythm.Known);
        Assert.Null(rhythm.Next(Monday.AddDays(14).AddHours(10), TimeToEmpty.Reach));
    }

    [Fact]
    public void Does_not_judge_past_a_round_two_minutes_away_but_does_until_monday_for_a_weekend()
    {
        // Refilled at 12:05 every day: at 12:03 the horizon ends within minutes, not after three hours.
        var daily = Daily(14, 12);
        var demand = new SlotDemand(new WeeklyDemand(), Profile(6));
        var soon = DangerHorizon.End(demand, daily, Monday.AddDays(14).AddHours(12).AddMinutes(3), TimeSpan.FromMinutes(180));
        Assert.InRange(soon, Monday.AddDays(14).AddHours(12).AddMinutes(3), Monday.AddDays(14).AddHours(12).AddMinutes(45));

        // Open 08–20 on weekdays only: on Friday at 19:00, 180 selling minutes reach into Monday morning.
        var weekdays = Enumerable.Range(0, HourOfWeek.Count).Where(h => h / 24 >= 5 || h % 24 < 8 || h % 24 >= 20).Select(h => (h, 0.0)).ToArray();
        var shop = new SlotDemand(new WeeklyDemand(), Profile(2, weekdays));
        var friday = Monday.AddDays(4).AddHours(19);
        Assert.Equal(Monday.AddDays(7).AddHours(10), DangerHorizon.SellingEnd(shop, friday, TimeSpan.FromMinutes(180)));
    }

    [Fact]
    public void Judges_a_slow_slot_until_the_monday_delivery_when_it_is_refilled_on_mondays_and_thursdays()
    {
        var rhythm = new RefillRhythm();
        rhythm.Watch(Monday);
        for (var week = 0; week < 3; week++)
        {
            rhythm.Refilled(Monday.AddDays(7 * week).AddHours(7).AddMinutes(5), 2);
            rhythm.Refilled(Monday.AddDays((7 * week) + 3).AddHours(7).AddMinutes(5), 2);
        }

        var friday = Monday.AddDays(18).AddHours(21);
        rhythm.Watch(friday);
        var demand = new SlotDemand(new WeeklyDemand(), Profile(0.3));

        var end = DangerHorizon.End(demand, rhythm, friday, TimeSpan.FromMinutes(180));

        Assert.InRange(end, Monday.AddDays(21).AddHours(7), Monday.AddDays(21).AddHours(8));
    }
}
