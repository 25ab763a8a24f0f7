namespace ShelfAgent.Outbox;

/// <summary>Counts by slot that are kept only while positive (dropped readings stored, unsaved, leased).</summary>
public static class SlotCounts
{
    /// <summary>Adds <paramref name="delta"/> to <paramref name="key"/>'s count; a count that reaches zero leaves the map.</summary>
    public static void Bump(Dictionary<string, long> counts, string key, long delta)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var value = counts.GetValueOrDefault(key) + delta;
        if (value > 0)
        {
            counts[key] = value;
        }
        else
        {
            counts.Remove(key);
        }
    }
}
