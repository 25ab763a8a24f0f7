using ShelfAgent.Mqtt;

namespace ShelfAgent.Tests.Mqtt;

public sealed class TokenBucketTests
{
    [Fact]
    public void Allows_a_full_bucket_at_once_then_spaces_takers_at_the_rate()
    {
        var bucket = new TokenBucket(100, 100, TimeSpan.Zero);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, bucket.Take(1, TimeSpan.Zero));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(10), bucket.Take(1, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(20), bucket.Take(1, TimeSpan.Zero));
    }

    [Fact]
    public void Refills_with_time_but_never_above_capacity()
    {
        var bucket = new TokenBucket(512 * 1024, 512 * 1024, TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, bucket.Take(512 * 1024, TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, bucket.Take(256 * 1024, TimeSpan.FromSeconds(0.5)));
        Assert.Equal(TimeSpan.Zero, bucket.Take(512 * 1024, TimeSpan.FromSeconds(100)));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Take(512 * 1024, TimeSpan.FromSeconds(100)));
    }
}
