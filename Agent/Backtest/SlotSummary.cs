using ShelfAgent.Backtest.Scoring;

namespace ShelfAgent.Backtest;

/// <summary>What a backtest saw and produced for one slot.</summary>
public sealed class SlotSummary(string thing, string slot, string sku)
{
    public string Thing => thing;

    public string Slot => slot;

    public string Sku => sku;

    public long Readings { get; set; }

    public long Faults { get; set; }

    public long PickEvents { get; set; }

    public long ItemsPicked { get; set; }

    public long Restocks { get; set; }

    /// <summary>Alerts by wire type (low, empty, predicted-empty …).</summary>
    public SortedDictionary<string, int> Alerts { get; } = new(StringComparer.Ordinal);

    public int? LastCount { get; set; }

    /// <summary>cloud | device | none at the end.</summary>
    public string Profile { get; set; } = "none";

    /// <summary>True when the slot is not in the configuration (low alerts are then off: LowStockAt 0).</summary>
    public bool Unconfigured { get; set; }

    /// <summary><c>predicted-empty</c> episodes (alerts raised, re-raises included).</summary>
    public int Episodes => PredictedEmpty.Count;

    /// <summary>Episodes ended by a restock (<c>predicted-empty-cleared</c>, reason <c>restocked</c>).</summary>
    public int ClearedByRestock { get; set; }

    /// <summary>Every <c>predicted-empty</c> raised, with its horizon and when its episode ended, for scoring.</summary>
    public List<ScoredAlert> PredictedEmpty { get; } = [];

    /// <summary>First and last reading seen.</summary>
    public DateTimeOffset? From { get; set; }

    /// <inheritdoc cref="From"/>
    public DateTimeOffset? To { get; set; }

    /// <summary>The score against a truth file (<c>backtest --truth</c>); null without one or when the file does not name the slot.</summary>
    public SlotScore? Score { get; set; }
}
