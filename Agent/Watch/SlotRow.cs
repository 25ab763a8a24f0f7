namespace ShelfAgent.Watch;

/// <summary>One slot as <c>shelf-agent watch</c> last saw it.</summary>
public sealed class SlotRow(string thing, string slot)
{
    /// <summary>The device.</summary>
    public string Thing { get; } = thing;

    /// <summary>Slot id.</summary>
    public string Slot { get; } = slot;

    /// <summary>Product.</summary>
    public string Sku { get; set; } = "";

    /// <summary>Items, or null when the sensor is in fault.</summary>
    public int? Count { get; set; }

    /// <summary>Net grams, or null.</summary>
    public double? Grams { get; set; }

    /// <summary>ok | low | empty | fault.</summary>
    public string Status { get; set; } = "?";

    /// <summary>Why the last reading was a fault.</summary>
    public string? Reason { get; set; }

    /// <summary>The last pick, restock or alert, in words.</summary>
    public string? LastEvent { get; set; }

    /// <summary>When the last reading was taken.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Takes a newer reading (older ones, from a backlog, do not move the row back in time).</summary>
    public void Update(DateTimeOffset? at, int? count, double? grams, string status, string? reason)
    {
        if (at is { } t && UpdatedAt is { } last && t < last)
        {
            return;
        }

        (UpdatedAt, Count, Grams, Status, Reason) = (at ?? UpdatedAt, count, grams, status, reason);
    }
}
