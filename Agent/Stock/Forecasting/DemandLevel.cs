namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// Today's demand level (picks seen ÷ picks the weekly shape expected lately) as two regimes, weighed by the evidence.
/// An <b>ordinary day</b> sells within the demand's known day-to-day spread (a gamma prior of mean 1 and relative
/// spread <see cref="TimeToEmpty.DemandVariation"/>); an <b>unusual day</b> (promotion, holiday, a local event) can
/// sell anything (a broad gamma prior of mean 1 and shape <see cref="SlotDemand.LevelPrior"/>). Each regime's
/// posterior weight is its prior times the marginal likelihood of the customers seen (a negative binomial), so a few
/// grabs, likely enough on an ordinary day, keep it ordinary, while a sustained rise, which an ordinary day almost never
/// shows, switches to unusual within the hour. Evidence counts customers, not items: the picks are divided by the
/// slot's dispersion (three items one customer grabs are one arrival). Pure.
/// </summary>
public static class DemandLevel
{
    /// <summary>
    /// Prior probability that a day is unusual: about one day in ten. Set by reasoning (promotions and holidays are
    /// a few days a month), not tuned; the evidence moves it within the hour either way.
    /// </summary>
    public const double UnusualDayPrior = 0.1;

    /// <summary>The level's bounds under either regime.</summary>
    public const double MinLevel = 0.2;

    /// <inheritdoc cref="MinLevel"/>
    public const double MaxLevel = 6;

    /// <summary>
    /// The ordinary and the unusual regime, items per customer spread as <paramref name="dispersion"/>. An ordinary
    /// day's level holds all day (a busy day stays busy), so it and the weights are judged on the <paramref name="day"/>'s
    /// evidence; an unusual day's level may have begun an hour ago (a promotion from noon, a rush), so it is read from
    /// the <paramref name="recent"/> evidence.
    /// </summary>
    public static (DemandRegime Ordinary, DemandRegime Unusual) Of(LevelEvidence recent, LevelEvidence day, double dispersion)
    {
        var perCustomer = Math.Max(1, dispersion);
        var (s, e) = (Math.Max(0, day.Seen) / perCustomer, Math.Max(0, day.Expected) / perCustomer);
        var ordinaryShape = 1 / (TimeToEmpty.DemandVariation * TimeToEmpty.DemandVariation);
        var unusualShape = SlotDemand.LevelPrior;
        var logOrdinary = Math.Log(1 - UnusualDayPrior) + LogMarginal(s, e, ordinaryShape);
        var logUnusual = Math.Log(UnusualDayPrior) + LogMarginal(s, e, unusualShape);
        var unusual = 1 / (1 + Math.Exp(logOrdinary - logUnusual));
        var (sr, er) = (Math.Max(0, recent.Seen) / perCustomer, Math.Max(0, recent.Expected) / perCustomer);
        return (new DemandRegime(1 - unusual, Posterior(s, e, ordinaryShape)), new DemandRegime(unusual, Posterior(sr, er, unusualShape)));
    }

    // Customers ~ Poisson(level × e), level ~ Gamma(shape a, rate a): the posterior mean is (a + s)/(a + e).
    private static double Posterior(double s, double e, double a) => Math.Clamp((a + s) / (a + e), MinLevel, MaxLevel);

    // ln P(s | e, a) of that gamma-Poisson mixture (a negative binomial), without the ln Γ(s + 1) both regimes share.
    private static double LogMarginal(double s, double e, double a)
        => LogGamma.Of(a + s) - LogGamma.Of(a) + (a * Math.Log(a / (a + e))) + (e > 0 ? s * Math.Log(e / (a + e)) : 0);
}
