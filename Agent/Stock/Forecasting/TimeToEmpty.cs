namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// Integrates a slot's expected demand forward from now (not a flat rate: the hour-of-week shape and the fading
/// online level change along the way). Picks are a non-homogeneous Poisson process, so with Λ(τ) = ∫₀^τ λ(t) dt:
/// P(empty within H) = P(N(H) ≥ count) with N(H) negative binomial of mean Λ(H) and <see cref="Variance"/> (items come
/// in bursts and the mean itself is uncertain), and the expected empty time is the τ where Λ(τ) = count.
/// </summary>
public static class TimeToEmpty
{
    /// <summary>How far ahead an expected empty time is searched (contract: null beyond 7 days).</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(7);

    // The shape is constant within an hour and the level fades over hours, so the midpoint rule over steps that
    // never cross an hour boundary is exact to well under a pick: 5-minute steps for the first 6 hours, then whole hours.
    private static readonly TimeSpan FineStep = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FineFor = TimeSpan.FromHours(6);

    /// <summary>
    /// Relative error of the expected demand itself (coefficient of variation): a day sells more or less than its
    /// hour-of-week mean and the online level only partly catches it. Tuned on seed 7 (docs/benchmarks.md).
    /// </summary>
    public const double DemandVariation = 0.3;

    /// <summary>
    /// Variance of the items picked when <paramref name="mean"/> are expected: compound Poisson (<paramref name="dispersion"/>
    /// × mean) plus the uncertainty of the mean (a gamma-mixed rate adds (cv × mean)²).
    /// </summary>
    public static double Variance(double mean, double dispersion)
        => (Math.Max(1, dispersion) * mean) + (DemandVariation * DemandVariation * mean * mean);

    /// <summary>
    /// The estimate for <paramref name="count"/> items at <paramref name="now"/>; searching past the horizon only if
    /// <paramref name="searchBeyondHorizon"/>.
    /// </summary>
    public static EmptyEstimate Estimate(SlotDemand demand, DateTimeOffset now, int count, TimeSpan horizon, bool searchBeyondHorizon = true)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var rateNow = demand.RateAt(now, now);
        if (count <= 0)
        {
            return new EmptyEstimate(1, now, rateNow);
        }

        double cumulative = 0;
        double? atHorizon = null;
        DateTimeOffset? empty = null;
        var t = TimeSpan.Zero;
        while (t < Reach && (empty is null || atHorizon is null))
        {
            var at = now + t;
            var toHour = HourOfWeek.StartOfHour(at).AddHours(1) - at;
            var step = t < FineFor ? TimeSpan.FromTicks(Math.Min(FineStep.Ticks, toHour.Ticks)) : toHour;
            if (atHorizon is null && t + step > horizon)
            {
                step = horizon - t;
            }

            var rate = demand.RateAt(now, at + (step / 2));
            var next = cumulative + (rate * step.TotalHours);
            if (empty is null && next >= count)
            {
                var fraction = rate > 0 ? (count - cumulative) / (rate * step.TotalHours) : 1;
                empty = at + (step * fraction);
            }

            cumulative = next;
            t += step;
            if (atHorizon is null && t >= horizon)
            {
                atHorizon = cumulative;
                if (!searchBeyondHorizon)
                {
                    break;
                }
            }
        }

        var mean = atHorizon ?? cumulative;
        var probability = NegativeBinomialTail.AtLeast(count, mean, Variance(mean, demand.Dispersion));
        return new EmptyEstimate(probability, empty, rateNow);
    }
}
