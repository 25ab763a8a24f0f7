namespace ShelfAgent.Backtest.Scoring;

/// <summary>Why a stock-out was not warned of in time (docs/stock.md, "Evaluation"); the first that applies, in this order.</summary>
public enum MissCause
{
    /// <summary>An episode raised before the last restock was still open through it, so none was raised for this one.</summary>
    CarriedOverRestock,
    /// <summary>The stock-out started in the last two hours before the store closed.</summary>
    BeforeClosing,
    /// <summary>The slot sells fewer than <see cref="ForecastScorer.SlowItemsPerDay"/> items per selling day.</summary>
    SlowSlot,
    /// <summary>A sensor fault overlapped the three hours before the stock-out.</summary>
    AfterFault,
    /// <summary>The restock that began the episode was partial, or a round was missed in the episode.</summary>
    AfterMissedOrPartialRefill,
    /// <summary>The stock-out fell in the first week of the trace (nothing learned yet).</summary>
    ColdStart,
    /// <summary>None of the above.</summary>
    Other,
}

/// <summary>Wire and table names of <see cref="MissCause"/>.</summary>
public static class MissCauses
{
    /// <summary>Every cause, in the order they are tried.</summary>
    public static IReadOnlyList<MissCause> All { get; } = Enum.GetValues<MissCause>();

    /// <summary>carried-over-restock | before-closing | slow-slot | after-fault | after-missed-or-partial-refill | cold-start | other.</summary>
    public static string Name(MissCause cause) => cause switch
    {
        MissCause.CarriedOverRestock => "carried-over-restock",
        MissCause.BeforeClosing => "before-closing",
        MissCause.SlowSlot => "slow-slot",
        MissCause.AfterFault => "after-fault",
        MissCause.AfterMissedOrPartialRefill => "after-missed-or-partial-refill",
        MissCause.ColdStart => "cold-start",
        _ => "other",
    };
}
