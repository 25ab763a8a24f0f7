using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

public sealed class PublishRateLimiterTests
{
    private const long Budget = 512 * 1024;
    private static readonly TimeSpan Guard = PublishRateLimiter.DefaultGuard;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1) + Guard;

    [Fact]
    public void Lets_an_eighth_of_the_budget_go_at_once_then_paces_evenly()
    {
        var limiter = new PublishRateLimiter(100, 0, Guard);
        var at = TimeSpan.Zero;
        var sends = new List<TimeSpan>();
        for (var i = 0; i < 100; i++)
        {
            at += limiter.Reserve(200, at);
            sends.Add(at);
        }

        // 100 × 1/8 of the window's 100 → 13 go at once; then one every window/100.
        Assert.Equal(13, sends.Count(s => s == TimeSpan.Zero));
        var gaps = sends.Skip(13).Zip(sends.Skip(14), (a, b) => b - a).ToList();
        Assert.All(gaps, g => Assert.InRange(g.TotalMilliseconds, Window.TotalMilliseconds / 100 - 0.01, Window.TotalMilliseconds / 100 + 0.01));
    }

    [Fact]
    public void Holds_the_101st_publish_until_the_first_leaves_the_window()
    {
        var limiter = new PublishRateLimiter(100, 0, Guard);
        var at = TimeSpan.Zero;
        var sends = Enumerable.Range(0, 101).Select(_ => at += limiter.Reserve(200, at)).ToList();
        Assert.True(sends[100] >= sends[0] + Window);
    }

    [Fact]
    public void The_byte_limit_wins_when_messages_are_large()
    {
        var limiter = new PublishRateLimiter(100, Budget, Guard);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(64 * 1024, TimeSpan.Zero));
        // The burst allowance (1/8 of the window's budget) takes a second 64 KB message at once, or within 0.1 ms.
        var wait = limiter.Reserve(64 * 1024, TimeSpan.Zero);
        Assert.Equal(0, wait.TotalMilliseconds, 1);

        var limiter2 = new PublishRateLimiter(100, Budget, Guard);
        var sum = TimeSpan.Zero;
        for (var i = 0; i < 9; i++)
        {
            sum = limiter2.Reserve(128 * 1024, TimeSpan.Zero);
        }

        // Nine 128 KB messages are 2.25 budgets: the ninth cannot start before two windows have passed.
        Assert.True(sum >= Window * 2, $"ninth message at {sum}");
    }

    [Fact]
    public void Zero_means_unlimited()
    {
        var limiter = new PublishRateLimiter(0, 0, Guard);
        Assert.True(limiter.IsUnlimited);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(1_000_000, TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, limiter.TryTake(1_000_000, TimeSpan.Zero));
    }

    [Fact]
    public void TryTake_records_only_what_it_lets_through()
    {
        var limiter = new PublishRateLimiter(0, 1000, TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, limiter.TryTake(1000, TimeSpan.Zero));
        var wait = limiter.TryTake(500, TimeSpan.Zero);
        Assert.True(wait > TimeSpan.Zero);
        Assert.True(limiter.TryTake(500, TimeSpan.Zero) > TimeSpan.Zero); // the refused one was not charged
        Assert.Equal(TimeSpan.Zero, limiter.TryTake(500, wait));
    }

    [Theory]
    [InlineData(100, 129)]
    [InlineData(16_384, 16_413)]
    [InlineData(16_385, 16_443)]
    [InlineData(65_600, 65_745)]
    public void WireCost_adds_the_tls_record_overhead(int packet, int wire) => Assert.Equal(wire, PublishRateLimiter.WireCost(packet));

    [Fact]
    public void No_window_of_one_second_plus_the_guard_exceeds_either_limit_whatever_the_sizes()
    {
        FsCheck.Check.QuickThrowOnFailure(FsCheck.Fluent.Prop.ForAll<int>(seed =>
        {
            var random = new Random(seed);
            var limiter = new PublishRateLimiter(100, Budget, Guard);
            var sends = Drain(limiter, () => random.Next(10) == 0 ? random.Next(1, 131_072) : random.Next(1, 9_000), TimeSpan.FromSeconds(20), random);
            return Worst(sends, Window, s => s.Bytes) <= Budget && Worst(sends, Window, _ => 1) <= 100;
        }));
    }

    [Fact]
    public void A_backlog_of_small_batches_uses_at_least_96_percent_of_the_byte_budget()
    {
        FsCheck.Check.QuickThrowOnFailure(FsCheck.Fluent.Prop.ForAll<int>(seed =>
        {
            // What PublishingService sends under AWS limits: backlog batches of up to 1/64 of the budget (8 KB).
            var random = new Random(seed);
            var limiter = new PublishRateLimiter(100, Budget, Guard);
            var sends = Drain(limiter, () => PublishRateLimiter.WireCost(random.Next(7_000, 8_300)), TimeSpan.FromSeconds(30), null);
            var used = sends.Sum(s => (double)s.Bytes) / sends[^1].At.TotalSeconds / Budget;
            return used >= 0.96;
        }));
    }

    [Fact]
    public void A_varying_delay_under_the_guard_keeps_every_second_at_the_broker_within_the_budget()
    {
        FsCheck.Check.QuickThrowOnFailure(FsCheck.Fluent.Prop.ForAll<int>(seed =>
        {
            // Each send reaches the broker's meter some 0..guard later than the writer charged it.
            var random = new Random(seed);
            var limiter = new PublishRateLimiter(100, Budget, Guard);
            var sends = Drain(limiter, () => PublishRateLimiter.WireCost(random.Next(7_000, 8_300)), TimeSpan.FromSeconds(20), random);
            var arrived = sends.Select(s => (At: s.At + (Guard * random.NextDouble()), s.Bytes)).OrderBy(s => s.At).ToList();
            return Worst(arrived, TimeSpan.FromSeconds(1), s => s.Bytes) <= Budget;
        }));
    }

    // A publisher with a backlog: sends as soon as allowed. Given a random, it sometimes pauses first, and sometimes
    // asks again before the wait is over (the writer loop wakes early for a PUBACK to send).
    private static List<(TimeSpan At, int Bytes)> Drain(PublishRateLimiter limiter, Func<int> size, TimeSpan duration, Random? random)
    {
        var sends = new List<(TimeSpan At, int Bytes)>();
        var now = TimeSpan.Zero;
        while (now < duration)
        {
            if (random?.Next(50) == 0)
            {
                now += TimeSpan.FromMilliseconds(random.Next(1, 1500));
            }

            var bytes = size();
            TimeSpan wait;
            while ((wait = limiter.TryTake(bytes, now)) > TimeSpan.Zero)
            {
                now += random?.Next(3) == 0 ? wait * random.NextDouble() : wait;
            }

            sends.Add((now, bytes));
        }

        return sends;
    }

    // The most in any span of the given length (spans starting at each send cover every case).
    private static long Worst(List<(TimeSpan At, int Bytes)> sends, TimeSpan span, Func<(TimeSpan At, int Bytes), long> amount)
    {
        long worst = 0, sum = 0;
        for (int start = 0, end = 0; start < sends.Count; start++)
        {
            while (end < sends.Count && sends[end].At < sends[start].At + span)
            {
                sum += amount(sends[end++]);
            }

            worst = Math.Max(worst, sum);
            sum -= amount(sends[start]);
        }

        return worst;
    }
}
