using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Tests.Simulator.Scale;

public sealed class ConnectRateTests
{
    [Fact]
    public async Task Lets_attempts_through_one_spacing_apart_so_no_second_holds_more_than_the_rate_plus_one()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var rate = new ConnectRate(10, time);
        var waiting = Enumerable.Range(0, 25).Select(_ => rate.WaitAsync(CancellationToken.None).AsTask()).ToList();

        // Each look moves the fake clock on 10 ms: the attempts leave as fast as the rate lets them.
        await Eventually.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
                return waiting.All(w => w.IsCompleted);
            },
            TimeSpan.FromSeconds(30),
            "every attempt let through",
            every: TimeSpan.FromMilliseconds(1));

        Assert.Equal(25, rate.Admitted);
        Assert.InRange(rate.PeakEver, 1, 11);
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(2.4), "25 attempts at 10/s take at least 2.4 s of the clock");
    }

    [Fact]
    public async Task Lets_every_attempt_through_at_once_when_the_rate_is_zero()
    {
        var rate = new ConnectRate(0, new FakeTimeProvider());

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => rate.WaitAsync(CancellationToken.None).AsTask()));

        Assert.Equal(100, rate.Admitted);
    }
}
