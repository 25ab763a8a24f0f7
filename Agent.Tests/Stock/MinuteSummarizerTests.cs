using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Stock;

public sealed class MinuteSummarizerTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static Reading Sample(int second, string slot, double? grams, int? count = 11, StockStatus status = StockStatus.Ok) =>
        new(Minute.AddSeconds(second), slot, "COLA-355", grams, count, grams is null ? StockStatus.Fault : status, grams is null ? "timeout" : null);

    [Fact]
    public void Closes_a_minute_at_the_first_sample_of_the_next_with_its_last_sample_and_summary()
    {
        var summarizer = new MinuteSummarizer();
        for (var s = 0; s < 60; s++)
        {
            Assert.Empty(summarizer.Add([Sample(s, "A1", 4000 + s % 7)]));
        }

        var closed = Assert.Single(summarizer.Add([Sample(60, "A1", 3650, 10)]));
        Assert.Equal(Minute.AddSeconds(59), closed.Timestamp);
        Assert.Equal(4000 + 59 % 7, closed.Grams);
        Assert.Equal(new ReadingSummary(60, 4000, 4006, 0), closed.Summary);
    }

    [Fact]
    public void Counts_faults_and_keeps_the_weights_of_the_other_samples()
    {
        var summarizer = new MinuteSummarizer();
        summarizer.Add([Sample(0, "A1", 4000), Sample(0, "B1", null, null)]);
        summarizer.Add([Sample(1, "A1", null, null), Sample(1, "B1", null, null)]);
        summarizer.Add([Sample(2, "A1", 3990), Sample(2, "B1", null, null)]);
        var closed = summarizer.Add([Sample(61, "A1", 3990), Sample(61, "B1", 100)]);

        Assert.Equal(["A1", "B1"], closed.Select(r => r.Slot));
        Assert.Equal(new ReadingSummary(3, 3990, 4000, 1), closed[0].Summary);
        Assert.Equal(new ReadingSummary(3, null, null, 3), closed[1].Summary);
        Assert.Equal(StockStatus.Fault, closed[1].Status);
    }

    [Fact]
    public void Flush_closes_the_open_minutes_with_the_samples_so_far()
    {
        var summarizer = new MinuteSummarizer();
        summarizer.Add([Sample(5, "A1", 4000), Sample(5, "B1", 300)]);
        summarizer.Add([Sample(6, "A1", 4001), Sample(6, "B1", 301)]);

        var open = summarizer.Flush();

        Assert.Equal([2, 2], open.Select(r => r.Summary!.Samples));
        Assert.Empty(summarizer.Flush());
    }

    [Fact]
    public void Minute_of_a_time_before_1970_rounds_down()
    {
        Assert.Equal(-1, MinuteSummarizer.MinuteOf(DateTimeOffset.UnixEpoch.AddSeconds(-1)));
        Assert.Equal(0, MinuteSummarizer.MinuteOf(DateTimeOffset.UnixEpoch.AddSeconds(59)));
    }
}
