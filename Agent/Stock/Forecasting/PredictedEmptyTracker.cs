namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// One slot's <c>predicted-empty</c> episodes: raised once when P(empty within the horizon) reaches the confidence,
/// raised again only when the expected time moves much earlier, cleared by every restock (<c>restocked</c>: the
/// episode follows the shelf; if the refilled slot is still in danger, the next evaluation raises a <b>new</b> alert
/// with its own expected time, which also says the refill was not enough) or when the probability falls well below
/// the threshold (<c>danger-passed</c>). A slot that actually empties keeps its episode (the <c>empty</c> alert says
/// the rest) until it is restocked. Pure.
/// </summary>
public sealed class PredictedEmptyTracker(ForecastSettings settings)
{
    private DateTimeOffset? _announced;

    /// <summary>True while an episode is open.</summary>
    public bool Active => _announced is not null;

    /// <summary>Judges one estimate (over the whole <c>Stock:PredictHorizonMinutes</c>) for a slot holding <paramref name="count"/> items.</summary>
    public StockAlert? Evaluate(DateTimeOffset now, string slot, string sku, int count, EmptyEstimate estimate, bool restocked)
        => Evaluate(now, slot, sku, count, estimate, restocked, settings.Horizon);

    /// <summary>
    /// Judges one estimate for a slot holding <paramref name="count"/> items, made over <paramref name="horizon"/> (the
    /// danger window: until the next expected refill); <paramref name="restocked"/>: a restock (not a put-back) came with
    /// this reading; <paramref name="expectedBy"/>: raise only when the expected empty time is no later (the most
    /// warning, <c>Stock:PredictHorizonMinutes</c> of selling time). Returns the alert to send, if any.
    /// </summary>
    public StockAlert? Evaluate(
        DateTimeOffset now, string slot, string sku, int count, EmptyEstimate estimate, bool restocked, TimeSpan horizon, DateTimeOffset? expectedBy = null)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (count <= 0)
        {
            return null;
        }

        if (_announced is { } announced)
        {
            if (restocked)
            {
                _announced = null;
                return Cleared(now, slot, sku, count, "restocked");
            }

            if (estimate.Probability < settings.ClearBelow)
            {
                _announced = null;
                return Cleared(now, slot, sku, count, "danger-passed");
            }

            if (estimate.ExpectedEmpty is { } expected && expected <= announced - settings.ReRaiseEarlierBy)
            {
                _announced = expected;
                return Raised(now, slot, sku, count, estimate, horizon);
            }

            return null;
        }

        if (estimate.Probability >= settings.Confidence && (expectedBy is not { } by || estimate.ExpectedEmpty <= by))
        {
            _announced = estimate.ExpectedEmpty ?? now + horizon;
            return Raised(now, slot, sku, count, estimate, horizon);
        }

        return null;
    }

    private static StockAlert Raised(DateTimeOffset now, string slot, string sku, int count, EmptyEstimate e, TimeSpan horizon)
        => new(now, slot, sku, StockAlertType.PredictedEmpty, count)
        {
            ExpectedEmpty = e.ExpectedEmpty ?? now + horizon,
            Probability = e.Probability,
            RatePerHour = e.RatePerHour,
            HorizonMinutes = Math.Max(1, (int)Math.Round(horizon.TotalMinutes)),
        };

    private static StockAlert Cleared(DateTimeOffset now, string slot, string sku, int count, string reason)
        => new(now, slot, sku, StockAlertType.PredictedEmptyCleared, count, reason);
}
