using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Stock.Forecasting;

public sealed class PoissonTailTests
{
    [Theory]
    [InlineData(1, 1.0, 0.632120558828558)] // 1 − e^−1
    [InlineData(3, 2.0, 0.323323583816936)] // 1 − 5e^−2
    [InlineData(10, 10.0, 0.542070285528148)]
    public void Matches_the_closed_form_values(int n, double mean, double expected)
        => Assert.Equal(expected, PoissonTail.AtLeast(n, mean), 9);

    [Fact]
    public void Is_one_for_nothing_left_and_zero_without_demand()
    {
        Assert.Equal(1, PoissonTail.AtLeast(0, 0));
        Assert.Equal(0, PoissonTail.AtLeast(5, 0));
    }

    [Fact]
    public void Stays_finite_for_a_large_mean()
    {
        Assert.Equal(1, PoissonTail.AtLeast(24, 2000), 9);
        Assert.Equal(0.5, PoissonTail.AtLeast(1000, 1000), 1);
    }
}
