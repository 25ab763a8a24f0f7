using ShelfAgent.Mqtt;

namespace ShelfAgent.Tests.Mqtt;

public sealed class PublishRateLimiterTests
{
    [Fact]
    public void Spaces_publishes_at_the_message_rate_after_a_one_second_burst()
    {
        var clock = new SteppedTime();
        var limiter = new PublishRateLimiter(100, 0, clock);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.Reserve(200));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.Reserve(200));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(200));
    }

    [Fact]
    public void The_byte_limit_wins_when_messages_are_large()
    {
        var limiter = new PublishRateLimiter(100, 512 * 1024, new SteppedTime());
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.Reserve(128 * 1024));
        }

        Assert.Equal(TimeSpan.FromSeconds(0.25), limiter.Reserve(128 * 1024));
    }

    [Fact]
    public void Zero_means_unlimited()
    {
        var limiter = new PublishRateLimiter(0, 0, new SteppedTime());
        Assert.True(limiter.IsUnlimited);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(1_000_000));
    }

    /// <summary>A clock that moves only when told (timestamps in ticks of 100 ns).</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
