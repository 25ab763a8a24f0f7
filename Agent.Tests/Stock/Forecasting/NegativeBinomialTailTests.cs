using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Stock.Forecasting;

public sealed class NegativeBinomialTailTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3, 2.0)]
    [InlineData(10, 10.0)]
    public void Equals_the_poisson_tail_when_the_variance_is_the_mean(int n, double mean)
        => Assert.Equal(PoissonTail.AtLeast(n, mean), NegativeBinomialTail.AtLeast(n, mean, mean), 12);

    [Fact]
    public void Matches_the_closed_form_for_a_geometric_count()
    {
        // r = 1 (variance = mean + mean²): P(N ≥ n) = q^n with q = mean / (1 + mean).
        Assert.Equal(Math.Pow(2.0 / 3, 3), NegativeBinomialTail.AtLeast(3, 2, 6), 9);
    }

    [Fact]
    public void Widens_both_tails_when_picks_are_bursty()
    {
        // Fewer than expected: more likely than Poisson says; far more than expected: also more likely.
        Assert.True(NegativeBinomialTail.AtLeast(20, 10, 25) > PoissonTail.AtLeast(20, 10));
        Assert.True(NegativeBinomialTail.AtLeast(5, 10, 25) < PoissonTail.AtLeast(5, 10));
    }

    [Fact]
    public void Is_one_for_nothing_left_and_zero_without_demand()
    {
        Assert.Equal(1, NegativeBinomialTail.AtLeast(0, 0, 0));
        Assert.Equal(0, NegativeBinomialTail.AtLeast(5, 0, 0));
    }
}
