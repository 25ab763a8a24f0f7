namespace ShelfAgent.Stock.Forecasting;

/// <summary>What the device has learned about one slot's demand, as kept across restarts.</summary>
public sealed record SlotDemandState(string Slot, string Sku, IReadOnlyList<double> Picks, IReadOnlyList<double> Hours);

/// <summary>The learned demand of every slot (the <c>Stock:DemandPath</c> file).</summary>
public sealed record DemandState(DateTimeOffset Saved, IReadOnlyList<SlotDemandState> Slots)
{
    /// <summary>Schema name written into the file.</summary>
    public const string Schema = "shelf.demand-state.v1";

    /// <summary>Nothing learned.</summary>
    public static DemandState Empty { get; } = new(DateTimeOffset.MinValue, []);
}
