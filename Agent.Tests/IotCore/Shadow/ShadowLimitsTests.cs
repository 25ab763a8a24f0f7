using ShelfAgent.IotCore.Shadow;

namespace ShelfAgent.Tests.IotCore.Shadow;

public sealed class ShadowLimitsTests
{
    [Theory]
    [InlineData(8192, 0, true)]
    [InlineData(8000, 192, true)]
    [InlineData(8000, 193, false)]
    public void Desired_and_reported_together_fit_in_8_KB(int reported, int desired, bool fits)
        => Assert.Equal(fits, ShadowLimits.Fits(reported, desired));

    [Fact]
    public void At_most_ten_requests_go_in_any_second()
    {
        var limits = new ShadowLimits();
        var now = TimeSpan.FromSeconds(100);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TimeSpan.Zero, limits.Wait(now));
            limits.Sent(now);
        }

        Assert.Equal(TimeSpan.FromSeconds(1), limits.Wait(now));
        Assert.Equal(TimeSpan.Zero, limits.Wait(now + TimeSpan.FromSeconds(1)));
    }
}
