using ShelfAgent.Outbox;

namespace ShelfAgent.Tests.Outbox;

public sealed class DiskFullEpisodeTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 7, 12, 0, 5, TimeSpan.Zero);

    [Fact]
    public void Says_disk_full_with_the_count_and_the_start_while_the_disk_is_full()
    {
        var episode = new DiskFullEpisode(Since, 12_024, null);
        Assert.True(episode.Ongoing);
        Assert.Equal("disk full: 12024 readings evicted since 2026-12-07T12:00:05Z", episode.Describe());
    }

    [Fact]
    public void Says_disk_was_full_from_when_to_when_once_room_came_back()
    {
        var episode = new DiskFullEpisode(Since, 40, Since.AddSeconds(30));
        Assert.False(episode.Ongoing);
        Assert.Equal("disk was full: 40 readings evicted from 2026-12-07T12:00:05Z to 2026-12-07T12:00:35Z", episode.Describe());
    }

    [Fact]
    public void Reads_no_episode_from_meta_when_the_disk_never_ran_full()
        => Assert.Null(DiskFullEpisode.FromMeta(0, 0, 0));

    [Fact]
    public void Reads_an_ongoing_episode_from_meta_when_until_is_zero()
    {
        var episode = DiskFullEpisode.FromMeta(Since.ToUnixTimeMilliseconds(), 7, 0);
        Assert.Equal(new DiskFullEpisode(Since, 7, null), episode);
    }
}
