
namespace ShelfAgent.Stock;

/// <summary>Pure shelf arithmetic: grams on a slot → item count → status.</summary>
public static class StockCalculator
{
    /// <summary>
    /// Items on the slot: <c>round((grams − TareGrams) / UnitGrams)</c>, clamped to <c>[0, Capacity]</c>.
    /// Midpoints round away from zero, so 11.5 items' worth of weight counts 12.
    /// </summary>
    public static int Count(double grams, SlotOptions slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (!double.IsFinite(grams) || slot.UnitGrams <= 0)
        {
            return 0;
        }

        var items = Math.Round((grams - slot.TareGrams) / slot.UnitGrams, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(items, 0, slot.Capacity);
    }

    /// <summary>empty at zero, low at or below <c>LowStockAt</c>, ok above.</summary>
    public static StockStatus Status(int count, SlotOptions slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return count <= 0 ? StockStatus.Empty
            : count <= slot.LowStockAt ? StockStatus.Low
            : StockStatus.Ok;
    }

    /// <summary>The reading for a sample: grams rounded to 0.1 g, count and status; a fault when grams are missing.</summary>
    public static Reading ToReading(DateTimeOffset timestamp, SlotOptions slot, double? grams, string? faultReason)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (grams is not { } g || !double.IsFinite(g) || faultReason is not null)
        {
            return new Reading(timestamp, slot.Id, slot.Sku, null, null, StockStatus.Fault, faultReason ?? "no value");
        }

        var count = Count(g, slot);
        return new Reading(timestamp, slot.Id, slot.Sku, Math.Round(g, 1), count, Status(count, slot));
    }
}
