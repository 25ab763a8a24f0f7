namespace ShelfAgent.Backtest.Scoring;

/// <summary>
/// One restock as it really happened. <paramref name="CounterfactualEmpty"/>: when the slot would have emptied had
/// this restock not happened (the same customers arriving; demand meeting an empty shelf is lost), null when it
/// would not have emptied before the next restock or the end of the trace.
/// </summary>
public sealed record RestockTruth(DateTimeOffset At, int From, int To, string Schedule, bool Partial, DateTimeOffset? CounterfactualEmpty = null);

/// <summary>What really happened on one slot.</summary>
public sealed class SlotTruth(string thing, string slot)
{
    public string Thing => thing;

    public string Slot => slot;

    /// <summary>When the true count reached 0, in time order.</summary>
    public List<DateTimeOffset> StockoutStarts { get; } = [];

    /// <summary>Every restock, in time order.</summary>
    public List<RestockTruth> Restocks { get; } = [];

    /// <summary>Sensor fault episodes (start, end).</summary>
    public List<(DateTimeOffset Start, DateTimeOffset End)> Faults { get; } = [];

    /// <summary>Items that left the shelf over the whole trace.</summary>
    public long ItemsSold { get; set; }

    /// <summary>The last true count read (while reading the file).</summary>
    public int? LastCount { get; set; }
}

/// <summary>One local day of a store: opening hours (null when closed all day), a public holiday, slots on promotion.</summary>
public sealed record StoreDay(DateOnly Date, TimeSpan? Open, TimeSpan? Close, bool Holiday, IReadOnlySet<string> Promoted);

/// <summary>What is known of one store (device) in a truth file.</summary>
public sealed class StoreTruth(string thing)
{
    public string Thing => thing;

    public string? StoreId { get; set; }

    /// <summary>The archetype name (convenience, supermarket-aisle, kiosk …); "unknown" when the file does not say.</summary>
    public string Archetype { get; set; } = "unknown";

    /// <summary>Local time = UTC + this.</summary>
    public TimeSpan UtcOffset { get; set; }

    /// <summary>The first instant of the trace.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>Local days, with their opening hours, holiday and promotions.</summary>
    public Dictionary<DateOnly, StoreDay> Days { get; } = [];

    /// <summary>Restocking rounds that did not happen (when they were due).</summary>
    public List<DateTimeOffset> MissedRounds { get; } = [];

    /// <summary>The local date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime((at + UtcOffset).UtcDateTime);

    /// <summary>Days the store sold on at all (opening hours known and not closed); at least 1.</summary>
    public double SellingDays(int days) => Math.Max(1, Days.Count > 0 ? Days.Values.Count(d => d.Open is not null) : days);
}
