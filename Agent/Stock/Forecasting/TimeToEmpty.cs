namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// Integrates a slot's expected demand forward from now (not a flat rate: the hour-of-week shape and the fading
/// online level change along the way). Picks are a non-homogeneous Poisson process, so with Λ(τ) = ∫₀^τ λ(t) dt:
/// P(empty within H) = P(N(H) ≥ count), and the expected empty time is the τ where Λ(τ) = count.
/// </summary>
public static class TimeToEmpty
{
    /// <summary>How far ahead an expected empty time is searched (contract: null beyond 7 days).</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(7);

    private static readonly TimeSpan FineStep = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CoarseStep = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FineFor = TimeSpan.FromHours(6);

    /// <summary>The estimate for <paramref name="count"/> items at <paramref name="now"/>.</summary>
    public static EmptyEstimate Estimate(SlotDemand demand, DateTimeOffset now, int count, TimeSpan horizon, bool searchBeyondHorizon = true)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var rateNow = demand.RateAt(now, now);
        if (count <= 0)
        {
            return new EmptyEstimate(1, now, rateNow);
        }

        // Midpoint rule, one-minute steps over the horizon and the first hours (the shape changes hourly).
        double cumulative = 0;
        double? atHorizon = null;
        DateTimeOffset? empty = null;
        var t = TimeSpan.Zero;
        while (t < Reach && (empty is null || atHorizon is null))
        {
            var step = t < FineFor ? FineStep : CoarseStep;
            if (atHorizon is null && t + step > horizon)
            {
                step = horizon - t;
            }

            if (step <= TimeSpan.Zero)
            {
                atHorizon ??= cumulative;
                continue;
            }

            var rate = demand.RateAt(now, now + t + (step / 2));
            var next = cumulative + (rate * step.TotalHours);
            if (empty is null && next >= count)
            {
                var fraction = rate > 0 ? (count - cumulative) / (rate * step.TotalHours) : 1;
                empty = now + t + (step * fraction);
            }

            cumulative = next;
            t += step;
            if (atHorizon is null && t >= horizon)
            {
                atHorizon = cumulative;
            }

            if (!searchBeyondHorizon && atHorizon is not null)
            {
                break;
            }
        }

        var probability = PoissonTail.AtLeast(count, atHorizon ?? cumulative);
        return new EmptyEstimate(probability, empty, rateNow);
    }
}
