namespace ShelfAgent.Simulator.Traces;

/// <summary>What really happened on a simulated slot or store (the ground truth a backtest is scored against).</summary>
public enum TruthKind
{
    /// <summary>The true count changed (picks, put-backs or restock).</summary>
    Count,
    /// <summary>The slot became empty.</summary>
    StockoutStart,
    /// <summary>An empty slot got stock again.</summary>
    StockoutEnd,
    /// <summary>A clerk put stock on the slot.</summary>
    Restock,
    /// <summary>When the slot would have emptied had the restock at <see cref="TruthEvent.Restock"/> not happened.</summary>
    CounterfactualEmpty,
    /// <summary>The slot's sensor starts a fault episode of <see cref="TruthEvent.Minutes"/>.</summary>
    Fault,
    /// <summary>The store (no slot): its archetype and UTC offset, at the start of the trace.</summary>
    Store,
    /// <summary>A local day of the store (no slot): opening hours, holiday, promotions.</summary>
    Day,
    /// <summary>A restocking round that was due now did not happen (no slot).</summary>
    RoundMissed,
}

/// <summary>One ground-truth fact. <paramref name="Note"/>: for a restock on-time | late | reactive; otherwise null.</summary>
public sealed record TruthEvent(DateTimeOffset Timestamp, string Thing, string Slot, TruthKind Kind, int Count, int? From = null, string? Note = null)
{
    /// <summary>A restock that filled the slot only partly (to 50–70 %).</summary>
    public bool Partial { get; init; }

    /// <summary>For <see cref="TruthKind.CounterfactualEmpty"/>: the restock it is the counterfactual of.</summary>
    public DateTimeOffset? Restock { get; init; }

    /// <summary>For <see cref="TruthKind.Fault"/>: how long it lasts.</summary>
    public double Minutes { get; init; }

    /// <summary>For <see cref="TruthKind.Day"/>: the day, its opening hours (null when closed) and whether it is a holiday.</summary>
    public (DateOnly Date, TimeSpan? Open, TimeSpan? Close, bool Holiday)? Day { get; init; }

    /// <summary>For <see cref="TruthKind.Day"/>: the slots on promotion that day; for <see cref="TruthKind.Store"/>: nothing.</summary>
    public IReadOnlyList<string> Promoted { get; init; } = [];

    /// <summary>For <see cref="TruthKind.Store"/>: archetype (wire name), store id and UTC offset.</summary>
    public (string Archetype, string StoreId, TimeSpan UtcOffset)? Store { get; init; }
}
