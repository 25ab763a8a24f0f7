using ShelfAgent.Mqtt;

namespace ShelfAgent.Tests.Mqtt;

public sealed class PublishRateLimiterTests
{
    [Fact]
    public void Holds_the_101st_publish_until_the_first_leaves_the_one_second_window()
    {
        var clock = new SteppedTime();
        var limiter = new PublishRateLimiter(100, 0, clock);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.Reserve(200));
        }

        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve(200));
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

        Assert.Equal(TimeSpan.FromSeconds(1), limiter.Reserve(128 * 1024));
    }

    [Fact]
    public void Zero_means_unlimited()
    {
        var limiter = new PublishRateLimiter(0, 0, new SteppedTime());
        Assert.True(limiter.IsUnlimited);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(1_000_000));
    }

    [Fact]
    public void No_second_exceeds_the_budget_and_a_steady_backlog_uses_at_least_95_percent_of_it()
    {
        FsCheck.Check.QuickThrowOnFailure(FsCheck.Fluent.Prop.ForAll<int>(seed =>
        {
            // A backlog drain: payloads of 8–64 KB sent back to back for 30 s under AWS's defaults.
            const long Budget = 512 * 1024;
            var random = new Random(seed);
            var clock = new SteppedTime();
            var limiter = new PublishRateLimiter(100, Budget, clock);
            var sends = new List<(TimeSpan At, int Bytes)>();
            var start = clock.GetElapsedTime(0);
            while (clock.GetElapsedTime(0) - start < TimeSpan.FromSeconds(30))
            {
                var bytes = random.Next(8 * 1024, 64 * 1024);
                var wait = limiter.Reserve(bytes);
                clock.Advance(wait); // the publisher sends as soon as it may
                sends.Add((clock.GetElapsedTime(0) - start, bytes));
            }

            // Every trailing window of one second, anchored at each send, holds at most the budget.
            var worst = 0L;
            for (var i = 0; i < sends.Count; i++)
            {
                long sum = 0;
                for (var j = i; j >= 0 && sends[j].At > sends[i].At - TimeSpan.FromSeconds(1); j--)
                {
                    sum += sends[j].Bytes;
                }

                worst = Math.Max(worst, sum);
            }

            var seconds = sends[^1].At.TotalSeconds;
            var used = sends.Sum(s => (double)s.Bytes) / seconds / Budget;
            return worst <= Budget && used >= 0.95;
        }));
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
