using ShelfAgent.Sensors.Simulated;

namespace ShelfAgent.Tests.Sensors.Simulated;

public sealed class ScaledTimeProviderTests
{
    [Fact]
    public async Task Periodic_timer_ticks_scale_times_faster_in_real_time()
    {
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var clock = new ScaledTimeProvider(start, scale: 36000);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);

        // Three simulated hours pass in about a third of a real second; the assertion is on simulated time only.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await timer.WaitForNextTickAsync());
        }

        Assert.True(clock.GetUtcNow() - start >= TimeSpan.FromHours(2.9));
    }

    [Fact]
    public void Demand_is_higher_at_the_evening_peak_than_at_night_and_averages_one_over_a_week()
    {
        var monday = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var week = Enumerable.Range(0, 7 * 24).Select(h => DemandProfile.At(monday.AddHours(h))).ToList();

        Assert.True(DemandProfile.At(monday.AddHours(18)) > 5 * DemandProfile.At(monday.AddHours(3)));
        Assert.InRange(week.Average(), 0.99, 1.01);
    }
}
