using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Outbox;

namespace ShelfAgent.Tests.Outbox;

public sealed class DiskFullTallyTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Asks_for_a_line_at_the_first_failure()
    {
        var tally = new DiskFullTally(_clock, TimeSpan.FromMinutes(1));
        Assert.True(tally.Add(0, 24, 1));
        Assert.Equal((0L, 24L, 1L), (tally.Evicted, tally.Unsaved, tally.Failed));
    }

    [Fact]
    public void Sums_the_counts_and_asks_for_the_next_line_only_after_a_minute()
    {
        var tally = new DiskFullTally(_clock, TimeSpan.FromMinutes(1));
        tally.Add(256, 0, 0);
        tally.Reset();
        for (var i = 0; i < 6_000; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(5));
            Assert.False(tally.Add(10, 2, 1));
        }

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(tally.Add(10, 2, 1));
        Assert.Equal((60_010L, 12_002L, 6_001L), (tally.Evicted, tally.Unsaved, tally.Failed));
        Assert.Equal(60, tally.Seconds);
        tally.Reset();
        Assert.False(tally.HasCounts);
    }

    [Fact]
    public void Logs_the_next_full_disk_at_once_after_an_episode_ended()
    {
        var tally = new DiskFullTally(_clock, TimeSpan.FromMinutes(1));
        tally.Add(1, 0, 0);
        tally.Reset();
        tally.End();
        Assert.True(tally.Add(1, 0, 0));
    }
}
