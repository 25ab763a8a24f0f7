namespace ShelfAgent.LocalLake.Tests.Lake;

/// <summary>The Trino functions the local lake defines as DuckDB macros give Trino's documented values.</summary>
public sealed class DuckDbPreludeTests
{
    [Theory]
    [InlineData("2026-10-05 10:00:00", 1)] // a Monday: Trino's day_of_week is ISO, Monday = 1
    [InlineData("2026-10-10 23:59:59", 6)]
    [InlineData("2026-10-11 00:00:00", 7)] // Sunday = 7
    public void Day_of_week_counts_monday_as_1_like_trino(string ts, long expected)
    {
        using var lake = new TestLake();
        Assert.Equal(expected, Convert.ToInt64(lake.Scalar($"SELECT day_of_week(TIMESTAMP '{ts}')"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Sequence_includes_its_stop_like_trino()
    {
        using var lake = new TestLake();
        var values = lake.Store.Query("SELECT h FROM (SELECT 1) AS s CROSS JOIN UNNEST(sequence(0, 167)) AS x(h)").Rows
            .Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(0, 168).Select(i => (long)i), values);
    }

    [Fact]
    public void Date_format_writes_the_day_like_trino()
    {
        using var lake = new TestLake();
        Assert.Equal("2026-10-05", lake.Scalar("SELECT date_format(TIMESTAMP '2026-10-05 23:59:59', '%Y-%m-%d')"));
    }

    [Fact]
    public void A_day_bound_keeps_its_first_day_in_both_dialects()
    {
        // DuckDB's DATE − INTERVAL is a TIMESTAMP ('2026-10-01 00:00:00' as text, which sorts after '2026-10-01'); the Cloud's
        // queries cast it back to DATE, which Trino reads as a no-op, so a dt bound means the same day in both engines.
        using var lake = new TestLake();
        Assert.Equal("2026-10-01", lake.Scalar("SELECT cast(cast(DATE '2026-10-04' - interval '3' day AS date) AS varchar)"));
    }
}
