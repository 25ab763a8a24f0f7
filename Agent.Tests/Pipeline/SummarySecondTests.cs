using ShelfAgent.Pipeline;

namespace ShelfAgent.Tests.Pipeline;

public sealed class SummarySecondTests
{
    [Fact]
    public void Gives_the_same_thing_the_same_second_between_10_and_55()
    {
        var second = SummarySecond.For("shelf-0042-01");

        Assert.Equal(second, SummarySecond.For("shelf-0042-01"));
        Assert.InRange(second, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(55) - TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void Spreads_a_fleet_evenly_over_the_seconds_it_may_use()
    {
        // 9,000 things of a chain: every 5-second bucket of :10–:55 gets about 1/9 of them (FNV-1a, not string.GetHashCode).
        var buckets = new int[9];
        for (var i = 0; i < 9_000; i++)
        {
            var second = SummarySecond.For($"shelf-{i / 4:D4}-{i % 4 + 1:D2}");
            buckets[(int)((second.TotalSeconds - 10) / 5)]++;
        }

        Assert.All(buckets, n => Assert.InRange(n, 850, 1150));
    }

    [Theory]
    [InlineData("2026-12-07T10:00:05Z", 30, 25)]
    [InlineData("2026-12-07T10:00:30Z", 30, 60)]
    [InlineData("2026-12-07T10:00:45Z", 30, 45)]
    [InlineData("2026-12-07T10:00:59.5Z", 10, 10.5)]
    public void Waits_until_the_next_time_the_clock_shows_the_second(string now, int offsetSeconds, double waitSeconds)
    {
        var wait = SummarySecond.Until(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(offsetSeconds));

        Assert.Equal(TimeSpan.FromSeconds(waitSeconds), wait);
    }
}
