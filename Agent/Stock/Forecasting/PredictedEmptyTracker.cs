namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// One slot's <c>predicted-empty</c> episodes: raised once when P(empty within the horizon) reaches the confidence,
/// raised again only when the expected time moves much earlier, cleared when a restock takes the slot out of
/// danger (<c>restocked</c>) or the probability falls well below the threshold (<c>danger-passed</c>). A slot that
/// actually empties keeps its episode (the <c>empty</c> alert says the rest) until it is restocked. Pure.
/// </summary>
public sealed class PredictedEmptyTracker(ForecastSettings settings)
{
    private DateTimeOffset? _announced;

    /// <summary>True while an episode is open.</summary>
    public bool Active => _announced is not null;

    /// <summary>Judges one estimate for a slot holding <paramref name="count"/> items; returns the alert to send, if any.</summary>
    public StockAlert? Evaluate(DateTimeOffset now, string slot, string sku, int count, EmptyEstimate estimate, bool restocked)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (count <= 0)
        {
            return null;
        }

        if (_announced is { } announced)
        {
            if (estimate.Probability < settings.Confidence && restocked)
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
                return Raised(now, slot, sku, count, estimate);
            }

            return null;
        }

        if (estimate.Probability >= settings.Confidence)
        {
            _announced = estimate.ExpectedEmpty ?? now + settings.Horizon;
            return Raised(now, slot, sku, count, estimate);
        }

        return null;
    }

    private StockAlert Raised(DateTimeOffset now, string slot, string sku, int count, EmptyEstimate e)
        => new(now, slot, sku, StockAlertType.PredictedEmpty, count)
        {
            ExpectedEmpty = e.ExpectedEmpty ?? now + settings.Horizon,
            Probability = e.Probability,
            RatePerHour = e.RatePerHour,
            HorizonMinutes = (int)Math.Round(settings.Horizon.TotalMinutes),
        };

    private static StockAlert Cleared(DateTimeOffset now, string slot, string sku, int count, string reason)
        => new(now, slot, sku, StockAlertType.PredictedEmptyCleared, count, reason);
}
