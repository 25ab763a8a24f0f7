using ShelfAgent.Stock;

namespace ShelfAgent.Watch;

/// <summary>
/// One slot as <c>shelf-agent watch</c> last saw it. Its count is the <b>settled</b> count, the one the agent's events
/// use: the readings go through the agent's own <see cref="SlotEventDetector"/> (3 equal counts in a row), and every
/// event or alert that carries a count sets it, since the agent decided it. The raw count of a single reading is
/// not shown: a hand on the shelf would make it jump where no event says so.
/// </summary>
public sealed class SlotRow
{
    private readonly SlotEventDetector _settle;
    private readonly Dictionary<int, string> _statusOfCount = [];

    /// <summary>A row; <paramref name="tareGrams"/> (the slot's TareGrams, from the device's agent.json) makes grams net.</summary>
    public SlotRow(string thing, string slot, double? tareGrams = null)
    {
        Thing = thing;
        Slot = slot;
        TareGrams = tareGrams;
        _settle = new SlotEventDetector(new SlotOptions { Id = slot, Capacity = int.MaxValue });
    }

    /// <summary>The device.</summary>
    public string Thing { get; }

    /// <summary>Slot id.</summary>
    public string Slot { get; }

    /// <summary>Product.</summary>
    public string Sku { get; set; } = "";

    /// <summary>The settled count, or null before one settled.</summary>
    public int? Count { get; private set; }

    /// <summary>Grams on the load cell in the last reading, tray included (as the wire carries them), or null in a fault.</summary>
    public double? GrossGrams { get; private set; }

    /// <summary>The slot's TareGrams when the device's configuration is known.</summary>
    public double? TareGrams { get; }

    /// <summary>Grams of product in the last reading (gross minus TareGrams), or null when the tray's weight is not known.</summary>
    public double? NetGrams => GrossGrams is { } g && TareGrams is { } t ? g - t : null;

    /// <summary>ok | low | empty of the settled count, or fault when the last reading was one.</summary>
    public string Status { get; private set; } = "?";

    /// <summary>Why the last reading was a fault.</summary>
    public string? Reason { get; private set; }

    /// <summary>The last pick, restock or alert, in words.</summary>
    public string? LastEvent { get; set; }

    /// <summary>When the last reading was taken.</summary>
    public DateTimeOffset? UpdatedAt { get; private set; }

    /// <summary>Takes a reading; older ones (from a backlog) do not move the row back in time.</summary>
    public void Update(DateTimeOffset? at, int? count, double? grams, string status, string? reason)
    {
        if (at is { } t && UpdatedAt is { } last && t < last)
        {
            return;
        }

        (UpdatedAt, GrossGrams, Reason) = (at ?? UpdatedAt, grams, reason);
        if (count is { } c && status != "fault")
        {
            // A reading's status is that of its count, so the status of the settled count is learned from readings.
            _statusOfCount[c] = status;
        }

        var fault = status == "fault";
        var reading = new Reading(at ?? DateTimeOffset.MinValue, Slot, Sku, grams, fault ? null : count, fault ? StockStatus.Fault : StockStatus.Ok, reason);
        var before = _settle.SettledCount;
        _settle.Observe(reading);
        if (_settle.SettledCount is { } settled && settled != before)
        {
            // Newly settled here; an event may already have said so (events travel ahead of telemetry).
            Count = settled;
        }

        Status = fault ? "fault" : Count is { } n && _statusOfCount.TryGetValue(n, out var s) ? s : status;
    }

    /// <summary>The agent's settled count, from an event or alert: it wins over what the viewer worked out.</summary>
    public void Settled(int count, string? status = null)
    {
        Count = count;
        if (status is not null)
        {
            _statusOfCount[count] = status;
        }

        if (Status != "fault" && _statusOfCount.TryGetValue(count, out var s))
        {
            Status = s;
        }
    }
}
