using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

public sealed class BackoffTests
{
    private static readonly Backoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(5, 32)]
    [InlineData(6, 64)]
    [InlineData(7, 120)]
    [InlineData(1000, 120)]
    public void Ceiling_doubles_from_the_minimum_up_to_the_maximum(int attempt, int seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), Backoff.Ceiling(attempt));

    [Fact]
    public void Delay_stays_within_zero_and_the_ceiling_as_a_property()
    {
        var gen = Gen.Choose(0, 5000).SelectMany(attempt => Gen.Choose(0, 999_999).Select(r => (attempt, r / 1_000_000.0)));
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var delay = Backoff.Delay(t.attempt, t.Item2);
            return delay >= TimeSpan.Zero && delay <= Backoff.Ceiling(t.attempt) && delay <= TimeSpan.FromSeconds(120);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Delay_spreads_over_the_whole_range_full_jitter()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(3, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), Backoff.Delay(3, 0.5));
        Assert.True(Backoff.Delay(3, 0.999999) > TimeSpan.FromSeconds(7.99));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void Delay_rejects_random_values_outside_zero_to_one(double r)
        => Assert.Throws<ArgumentOutOfRangeException>(() => Backoff.Delay(0, r));

    [Fact]
    public void A_connection_dropped_at_once_keeps_the_backoff_growing_and_one_that_stayed_up_resets_it()
    {
        var stable = TimeSpan.FromSeconds(30);
        var attempt = 0;
        for (var i = 0; i < 5; i++)
        {
            // CONNACK, then the broker closes within a second (a policy that denies the client's topics).
            attempt = Backoff.AfterConnection(attempt, TimeSpan.FromMilliseconds(400), stable);
        }

        Assert.Equal(5, attempt);
        Assert.Equal(TimeSpan.FromSeconds(32), new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(120)).Ceiling(attempt));
        Assert.Equal(0, Backoff.AfterConnection(attempt, TimeSpan.FromSeconds(30), stable));
    }
}
