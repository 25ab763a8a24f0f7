using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Stock.Forecasting;

public sealed class HourOfWeekTests
{
    [Theory]
    [InlineData("2026-11-23T00:00:00Z", 0)]   // Monday 00:00 UTC
    [InlineData("2026-11-23T13:59:59Z", 13)]
    [InlineData("2026-11-29T23:30:00Z", 167)] // Sunday 23:30
    [InlineData("2026-11-23T01:30:00+02:00", 167)] // 23:30 UTC on Sunday: the index is always UTC
    public void Indexes_monday_first_in_utc(string time, int expected)
        => Assert.Equal(expected, HourOfWeek.Of(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)));
}
