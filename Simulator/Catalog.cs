namespace ShelfAgent.Simulator;

/// <summary>Soft-drink products with realistic unit weights (full can/bottle), capacities and sales rates.</summary>
public static class Catalog
{
    /// <summary>(Sku, grams per item, items per slot, picks per hour at an average hour).</summary>
    public static IReadOnlyList<(string Sku, double UnitGrams, int Capacity, double PicksPerHour)> Products { get; } =
    [
        ("COLA-355", 368, 24, 9),
        ("COLA-ZERO-355", 366, 24, 7),
        ("COLA-500", 525, 16, 6),
        ("LEMON-LIME-355", 370, 24, 4),
        ("ORANGE-330", 350, 20, 3),
        ("WATER-500", 515, 18, 8),
        ("SPARKLING-WATER-500", 520, 18, 3),
        ("ENERGY-250", 275, 30, 5),
        ("ICED-TEA-500", 530, 16, 4),
        ("GINGER-ALE-355", 369, 24, 2),
    ];
}
