namespace ShelfAgent.Backtest.Scoring;

/// <summary>
/// What a scored local day was: the store's archetype, a holiday, a promotion day for the slot, in the first
/// (cold-start) week. <see cref="Share"/>: the part of the day inside the scored period (for slot-days).
/// </summary>
public sealed record DayTags(DateOnly Date, string Archetype, bool Holiday, bool Promotion, bool ColdStart)
{
    public double Share { get; init; } = 1;
}

/// <summary>
/// One stock-out as scored: <paramref name="Lead"/> from the first alert of its episode (null: none),
/// <paramref name="Cause"/> when it was not warned of at least <see cref="ForecastScorer.MissLead"/> ahead.
/// </summary>
public sealed record StockoutOutcome(DateTimeOffset Start, DayTags Day, TimeSpan? Lead, MissCause? Cause);

/// <summary>One alert as scored, under the strict definition and the old (any restock) one.</summary>
public sealed record AlertOutcome(DateTimeOffset At, DayTags Day, bool StrictTrue, bool LooseTrue);

/// <summary>One slot's score over a period: its stock-outs, its alerts, the local days scored.</summary>
public sealed record SlotScore(string Thing, string Slot, IReadOnlyList<StockoutOutcome> Stockouts, IReadOnlyList<AlertOutcome> Alerts,
    IReadOnlyList<DayTags> Days);
