using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>What every <see cref="IOutbox"/> refuses to store: one check, so all implementations refuse the same readings.</summary>
public static class OutboxInput
{
    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="reading"/> (at <paramref name="index"/> of its batch) cannot be stored.</summary>
    public static void Validate(Reading reading, int index)
    {
        ArgumentNullException.ThrowIfNull(reading, $"readings[{index}]");
        if (string.IsNullOrEmpty(reading.Slot) || string.IsNullOrEmpty(reading.Sku))
        {
            throw new ArgumentException($"readings[{index}] has no slot or sku.", nameof(reading));
        }

        if (reading.Grams is { } g && !double.IsFinite(g))
        {
            throw new ArgumentException(
                $"readings[{index}] (slot {reading.Slot}) has non-finite grams {g}; mark the reading as a fault instead.", nameof(reading));
        }

        if (!Enum.IsDefined(reading.Status))
        {
            throw new ArgumentException($"readings[{index}] (slot {reading.Slot}) has unknown status {(int)reading.Status}.", nameof(reading));
        }
    }
}
