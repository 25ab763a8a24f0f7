using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>The confidence an alert needs grows with how far ahead its stock-out is expected (issue 20).</summary>
public sealed class ForecastSettingsTests
{
    [Theory]
    [InlineData(0, 0.8)]
    [InlineData(90, 0.875)]
    [InlineData(180, 0.95)]
    [InlineData(600, 0.95)]
    [InlineData(-5, 0.8)]
    public void ConfidenceAt_rises_from_the_confidence_now_to_most_of_the_doubt_removed_at_the_horizon(int leadMinutes, double expected)
        => Assert.Equal(expected, ForecastSettings.Default.ConfidenceAt(TimeSpan.FromMinutes(leadMinutes)), 9);
}
