namespace ShelfAgent.Simulator.Traces;

/// <summary>What really happened on a simulated slot (the ground truth a backtest is scored against).</summary>
public enum TruthKind
{
    /// <summary>The true count changed (picks or restock).</summary>
    Count,
    /// <summary>The slot became empty.</summary>
    StockoutStart,
    /// <summary>An empty slot got stock again.</summary>
    StockoutEnd,
    /// <summary>A clerk put stock on the slot.</summary>
    Restock,
}

/// <summary>One ground-truth fact. <paramref name="Note"/>: for a restock on-time | late | reactive; otherwise null.</summary>
public sealed record TruthEvent(DateTimeOffset Timestamp, string Thing, string Slot, TruthKind Kind, int Count, int? From = null, string? Note = null);
