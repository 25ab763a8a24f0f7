using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class SampleFilterTests
{
    [Theory]
    [InlineData(new double[] { 5 }, 5)]
    [InlineData(new double[] { 3, 1, 2 }, 2)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    [InlineData(new double[] { 100, 101, 99, 100, 900000 }, 100)] // a knock on the shelf does not move it
    public void Median_takes_the_middle_value(double[] values, double expected)
        => Assert.Equal(expected, SampleFilter.Median(values));

    [Fact]
    public void Trimmed_mean_drops_a_fifth_at_each_end()
        => Assert.Equal(101, SampleFilter.TrimmedMean([-5000, 100, 101, 102, 9000]));

    [Fact]
    public void Apply_picks_the_configured_filter()
    {
        Assert.Equal(2, SampleFilter.Apply(SampleFilterKind.Median, [1, 2, 100]));
        Assert.Equal(2, SampleFilter.Apply(SampleFilterKind.TrimmedMean, [1, 2, 3, 2, 2]));
    }

    [Fact]
    public void Empty_input_is_a_caller_bug() => Assert.Throws<ArgumentException>(() => SampleFilter.Median([]));
}
