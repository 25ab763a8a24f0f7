namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// How far ahead a slot's danger is judged: until its next expected refill (<see cref="RefillRhythm"/>), so the
/// question is "does it run out before anyone will refill it?"; while no refill is expected, over
/// <c>Stock:PredictHorizonMinutes</c> of the store's selling time (hours the demand shape sells in at all). That key
/// stays the maximum warning: an alert is raised only when the expected empty time is within it (<see cref="SellingEnd"/>),
/// so a long wait for the next refill does not warn days ahead. A fast slot two minutes before a round is not in
/// danger; a slow slot with its last items on Friday night and no refill until Monday is (docs/stock.md). Pure.
/// </summary>
public static class DangerHorizon
{
    /// <summary>An hour sells when its rate is at least this share of the slot's average hour.</summary>
    public const double SellingShare = 0.05;

    /// <summary>The shortest horizon judged (a refill due any second still leaves this much).</summary>
    public static readonly TimeSpan Min = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The end of the danger window from <paramref name="now"/>: the next expected refill (within
    /// <see cref="TimeToEmpty.Reach"/>), else <paramref name="maxSelling"/> of selling time.
    /// </summary>
    public static DateTimeOffset End(SlotDemand demand, RefillRhythm? rhythm, DateTimeOffset now, TimeSpan maxSelling)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var bound = rhythm?.Next(now, TimeToEmpty.Reach) ?? SellingEnd(demand, now, maxSelling);
        return bound < now + Min ? now + Min : bound;
    }

    /// <summary>The instant by which <paramref name="maxSelling"/> of selling time has passed (closed hours skipped), within a week.</summary>
    public static DateTimeOffset SellingEnd(SlotDemand demand, DateTimeOffset now, TimeSpan maxSelling)
    {
        ArgumentNullException.ThrowIfNull(demand);
        if (demand.Source == ProfileSource.None)
        {
            // No shape yet: every hour may sell.
            return now + maxSelling;
        }

        var mean = 0.0;
        for (var h = 0; h < HourOfWeek.Count; h++)
        {
            mean += demand.BaseRate(h) / HourOfWeek.Count;
        }

        var left = maxSelling;
        var t = now;
        while (t < now + TimeToEmpty.Reach)
        {
            var hourEnd = HourOfWeek.StartOfHour(t).AddHours(1);
            var span = hourEnd - t;
            if (demand.BaseRate(HourOfWeek.Of(t)) >= SellingShare * mean)
            {
                if (span >= left)
                {
                    return t + left;
                }

                left -= span;
            }

            t = hourEnd;
        }

        return now + maxSelling;
    }
}
