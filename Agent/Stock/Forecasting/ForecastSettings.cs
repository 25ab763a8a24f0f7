namespace ShelfAgent.Stock.Forecasting;

/// <summary>The <c>Stock:*</c> prediction keys as the pure logic needs them (docs/stock.md).</summary>
/// <param name="Horizon"><c>Stock:PredictHorizonMinutes</c>: how far ahead a stock-out is predicted.</param>
/// <param name="Confidence"><c>Stock:PredictConfidence</c>: the probability of emptying within the horizon that raises <c>predicted-empty</c>.</param>
/// <param name="ForecastInterval"><c>Stock:ForecastIntervalMinutes</c>: how often a <c>shelf.forecast.v1</c> goes out.</param>
public sealed record ForecastSettings(TimeSpan Horizon, double Confidence, TimeSpan ForecastInterval)
{
    /// <summary>
    /// The defaults: 180 minutes, 0.7 (raised with the lead, <see cref="ConfidenceAt"/>), every 15 minutes. Three hours,
    /// because a restock has to be fetched and the alert should come about twice as early as the static low alert
    /// (docs/benchmarks.md; tuned on seed 7).
    /// </summary>
    public static ForecastSettings Default { get; } = new(TimeSpan.FromMinutes(180), 0.7, TimeSpan.FromMinutes(15));

    /// <summary>How often each slot's danger is re-evaluated between count changes (demand moves with the clock).</summary>
    public static TimeSpan EvaluateEvery { get; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Below this probability a raised alert is cleared as <c>danger-passed</c>: well under the raising threshold,
    /// so an estimate hovering at it does not flap.
    /// </summary>
    public double ClearBelow => Math.Max(Confidence - 0.3, Confidence / 2);

    /// <summary>
    /// Share of the doubt left at <see cref="Confidence"/> that an alert a whole horizon ahead must also remove: an alert
    /// far ahead has time to be overtaken (a round, a quiet spell) and the clerk has time to wait, so it must be surer
    /// than one about to come true (see <see cref="ConfidenceAt"/>).
    /// </summary>
    public const double EarlyDoubtRemoved = 0.75;

    /// <summary>
    /// The probability that raises <c>predicted-empty</c> when the slot is expected to empty <paramref name="lead"/> from
    /// now: <see cref="Confidence"/> for a stock-out due now, rising linearly to 1 − (1 − confidence)·(1 − <see
    /// cref="EarlyDoubtRemoved"/>) at the horizon and beyond (0.7 → 0.925 at the defaults).
    /// </summary>
    public double ConfidenceAt(TimeSpan lead)
        => Confidence + ((1 - Confidence) * EarlyDoubtRemoved * Math.Clamp(lead / Horizon, 0, 1));

    /// <summary>How much earlier the expected time must move to raise the alert again: a quarter of the horizon, at least 15 minutes.</summary>
    public TimeSpan ReRaiseEarlierBy => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(15).Ticks, Horizon.Ticks / 4));
}
