namespace ShelfAgent.Backtest.Scoring;

/// <summary>
/// Scores one strategy's alerts on one slot against <see cref="GroundTruth"/>, as docs/stock.md ("Evaluation")
/// defines: a stock-out is caught at lead L when an alert of its episode (after the last restock before it) fired at
/// least L before it; an alert at t with horizon H is <b>true</b> when a real stock-out starts, or a restock's
/// counterfactual empty time falls, within [t, t + H + 10 min] — so a routine refill never "confirms" an alert; the old
/// definition (any restock in the window) is kept beside it for comparison. Pure.
/// </summary>
public static class ForecastScorer
{
    /// <summary>Slack after the horizon within which a stock-out still confirms an alert.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromMinutes(10);

    /// <summary>A stock-out warned of less than this ahead counts as a miss in the table of causes.</summary>
    public static readonly TimeSpan MissLead = TimeSpan.FromMinutes(30);

    /// <summary>A slot selling fewer items than this per selling day is a slow slot.</summary>
    public const double SlowItemsPerDay = 10;

    /// <summary>How close to closing a stock-out is "before closing".</summary>
    public static readonly TimeSpan BeforeClosing = TimeSpan.FromHours(2);

    /// <summary>How far back a fault explains a miss.</summary>
    public static readonly TimeSpan FaultLookback = TimeSpan.FromHours(3);

    /// <summary>The first week of a trace is the cold start.</summary>
    public static readonly TimeSpan ColdStartFor = TimeSpan.FromDays(7);

    /// <summary>Scores <paramref name="alerts"/> on <paramref name="slot"/> over [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static SlotScore Score(SlotTruth slot, StoreTruth store, IReadOnlyList<ScoredAlert> alerts, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(alerts);
        var sorted = alerts.OrderBy(a => a.At).ToList();
        var start = store.Start ?? from;
        var sellingDays = store.SellingDays((int)Math.Ceiling((to - start).TotalDays));
        var slow = slot.ItemsSold / sellingDays < SlowItemsPerDay;

        var stockouts = new List<StockoutOutcome>();
        foreach (var s in slot.StockoutStarts.Where(s => s >= from && s < to))
        {
            var restock = slot.Restocks.LastOrDefault(r => r.At < s);
            var episode = restock?.At ?? DateTimeOffset.MinValue;
            var first = sorted.FirstOrDefault(a => a.At > episode && a.At <= s);
            TimeSpan? lead = first is null ? null : s - first.At;
            MissCause? cause = lead >= MissLead ? null : Cause(slot, store, sorted, s, restock, slow);
            stockouts.Add(new StockoutOutcome(s, Tags(slot, store, s), lead, cause));
        }

        var outcomes = new List<AlertOutcome>();
        foreach (var a in sorted.Where(a => a.At >= from && a.At < to))
        {
            var until = a.At + a.Horizon + Slack;
            var stockout = slot.StockoutStarts.Any(s => s >= a.At && s <= until);
            var strict = stockout || slot.Restocks.Any(r => r.At >= a.At && r.CounterfactualEmpty is { } c && c >= a.At && c <= until);
            var loose = stockout || slot.Restocks.Any(r => r.At >= a.At && r.At <= until);
            outcomes.Add(new AlertOutcome(a.At, Tags(slot, store, a.At), strict, loose));
        }

        var days = new List<DayTags>();
        for (var d = store.LocalDate(from); d <= store.LocalDate(to - TimeSpan.FromTicks(1)); d = d.AddDays(1))
        {
            // The share of this local day inside [from, to), so slot-days add up to the period exactly.
            var dayStart = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) - store.UtcOffset;
            var inside = (Min(to, dayStart + TimeSpan.FromDays(1)) - Max(from, dayStart)).TotalDays;
            days.Add(Tags(slot, store, d) with { Share = Math.Clamp(inside, 0, 1) });
        }

        return new SlotScore(slot.Thing, slot.Slot, stockouts, outcomes, days);
    }

    private static MissCause Cause(SlotTruth slot, StoreTruth store, List<ScoredAlert> alerts, DateTimeOffset s, RestockTruth? restock, bool slow)
    {
        if (restock is not null && alerts.Any(a => a.At < restock.At && (a.Until is null || a.Until > restock.At)))
        {
            return MissCause.CarriedOverRestock;
        }

        if (store.Days.TryGetValue(store.LocalDate(s), out var day) && day.Close is { } close)
        {
            var local = (s + store.UtcOffset).UtcDateTime.TimeOfDay;
            if (local <= close && local >= close - BeforeClosing)
            {
                return MissCause.BeforeClosing;
            }
        }

        if (slow)
        {
            return MissCause.SlowSlot;
        }

        if (slot.Faults.Any(f => f.Start <= s && f.End >= s - FaultLookback))
        {
            return MissCause.AfterFault;
        }

        var episode = restock?.At ?? DateTimeOffset.MinValue;
        if (restock is { Partial: true } || store.MissedRounds.Any(m => m > episode && m <= s))
        {
            return MissCause.AfterMissedOrPartialRefill;
        }

        return store.Start is { } first && s < first + ColdStartFor ? MissCause.ColdStart : MissCause.Other;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DayTags Tags(SlotTruth slot, StoreTruth store, DateTimeOffset at) => Tags(slot, store, store.LocalDate(at));

    private static DayTags Tags(SlotTruth slot, StoreTruth store, DateOnly date)
    {
        var day = store.Days.GetValueOrDefault(date);
        var cold = store.Start is { } first && date < store.LocalDate(first + ColdStartFor);
        return new DayTags(date, store.Archetype, day?.Holiday == true, day?.Promoted.Contains(slot.Slot) == true, cold);
    }
}
