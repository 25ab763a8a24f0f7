namespace ShelfAgent.Stock.Forecasting;

/// <summary>The <c>Stock:*</c> prediction keys as the pure logic needs them (docs/stock.md).</summary>
/// <param name="Horizon"><c>Stock:PredictHorizonMinutes</c>: how far ahead a stock-out is predicted.</param>
/// <param name="Confidence"><c>Stock:PredictConfidence</c>: the probability of emptying within the horizon that raises <c>predicted-empty</c>.</param>
/// <param name="ForecastInterval"><c>Stock:ForecastIntervalMinutes</c>: how often a <c>shelf.forecast.v1</c> goes out.</param>
public sealed record ForecastSettings(TimeSpan Horizon, double Confidence, TimeSpan ForecastInterval)
{
    /// <summary>
    /// The defaults: 180 minutes, 0.8, every 15 minutes. Three hours, because a restock has to be fetched and the alert
    /// should come about twice as early as the static low alert (docs/benchmarks.md, tuned on seed 7).
    /// </summary>
    public static ForecastSettings Default { get; } = new(TimeSpan.FromMinutes(180), 0.8, TimeSpan.FromMinutes(15));

    /// <summary>How often each slot's danger is re-evaluated between count changes (demand moves with the clock).</summary>
    public static TimeSpan EvaluateEvery { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Below this probability a raised alert is cleared as <c>danger-passed</c>: well under the raising threshold,
    /// so an estimate hovering at it does not flap.
    /// </summary>
    public double ClearBelow => Math.Max(Confidence - 0.3, Confidence / 2);

    /// <summary>How much earlier the expected time must move to raise the alert again: a quarter of the horizon, at least 15 minutes.</summary>
    public TimeSpan ReRaiseEarlierBy => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(15).Ticks, Horizon.Ticks / 4));
}
