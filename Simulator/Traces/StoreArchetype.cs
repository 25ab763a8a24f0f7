namespace ShelfAgent.Simulator.Traces;

/// <summary>Kinds of store with their own week: when they open, when demand peaks, when the shelves are restocked.</summary>
public enum StoreArchetype
{
    /// <summary>Open 06–23 every day; commuter peaks morning and evening, a lunch bump; later and flatter at weekends.</summary>
    Convenience,
    /// <summary>A supermarket aisle: open 08–21 (Sunday 10–18); afternoon and after-work peaks, a busy Saturday; deeper slots.</summary>
    SupermarketAisle,
    /// <summary>A school or office kiosk: weekdays 07–17 only; a sharp lunch peak and a mid-morning break.</summary>
    Kiosk,
}

/// <summary>The shapes of each archetype (local time). Weights are relative to an average open hour.</summary>
public static class Archetypes
{
    private static readonly double[] ConvenienceWeekday = Hours(6, [0.6, 1.5, 1.6, 1.0, 0.8, 0.9, 1.6, 1.5, 1.0, 0.9, 1.0, 1.3, 1.6, 1.5, 1.1, 0.8, 0.5]);
    private static readonly double[] ConvenienceWeekend = Hours(6, [0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.4, 1.4, 1.2, 1.1, 1.1, 1.2, 1.3, 1.2, 1.0, 0.8, 0.6]);
    private static readonly double[] SupermarketWeekday = Hours(8, [0.5, 0.7, 0.9, 1.1, 1.3, 1.2, 0.9, 0.8, 0.9, 1.2, 1.5, 1.6, 1.2]);
    private static readonly double[] SupermarketSaturday = Hours(8, [0.8, 1.2, 1.6, 1.9, 2.0, 1.9, 1.7, 1.6, 1.5, 1.4, 1.2, 1.0, 0.7]);
    private static readonly double[] SupermarketSunday = Hours(10, [0.6, 0.9, 1.1, 1.1, 1.0, 0.9, 0.8, 0.6]);
    private static readonly double[] KioskWeekday = Hours(7, [0.8, 1.2, 0.7, 1.6, 0.8, 3.2, 2.2, 0.7, 1.0, 0.5]);
    private static readonly double[] Closed = new double[24];

    /// <summary>Demand weight in a local hour (0 when closed).</summary>
    public static double Weight(StoreArchetype archetype, DayOfWeek day, int hour) => archetype switch
    {
        StoreArchetype.Convenience => (day is DayOfWeek.Saturday or DayOfWeek.Sunday ? ConvenienceWeekend : ConvenienceWeekday)[hour],
        StoreArchetype.SupermarketAisle => (day switch
        {
            DayOfWeek.Saturday => SupermarketSaturday,
            DayOfWeek.Sunday => SupermarketSunday,
            _ => SupermarketWeekday,
        })[hour],
        _ => (day is DayOfWeek.Saturday or DayOfWeek.Sunday ? Closed : KioskWeekday)[hour],
    };

    /// <summary>Local times of the day's restocking rounds (hours, fractional).</summary>
    public static IReadOnlyList<double> Rounds(StoreArchetype archetype, DayOfWeek day) => archetype switch
    {
        StoreArchetype.Convenience => [5.75, 12.0, 17.5],
        StoreArchetype.SupermarketAisle => day == DayOfWeek.Sunday ? [9.5, 14.0] : [7.5, 13.5, 18.5],
        _ => day is DayOfWeek.Saturday or DayOfWeek.Sunday ? [] : [6.5, 11.25],
    };

    /// <summary>convenience | supermarket-aisle | kiosk (the truth file's store line).</summary>
    public static string Name(StoreArchetype archetype) => archetype switch
    {
        StoreArchetype.Convenience => "convenience",
        StoreArchetype.SupermarketAisle => "supermarket-aisle",
        _ => "kiosk",
    };

    /// <summary>Local opening hours of a day (first to last hour with demand); null when closed all day.</summary>
    public static (TimeSpan Open, TimeSpan Close)? OpeningHours(StoreArchetype archetype, DayOfWeek day)
    {
        var hours = Enumerable.Range(0, 24).Where(h => Weight(archetype, day, h) > 0).ToList();
        return hours.Count == 0 ? null : (TimeSpan.FromHours(hours[0]), TimeSpan.FromHours(hours[^1] + 1));
    }

    /// <summary>
    /// The most demand (average-hour units) between two deliveries of a slow slot (the first round on Mondays and
    /// Thursdays), so a slow slot is sized to last from one delivery to the next on an ordinary week.
    /// </summary>
    public static double MostDemandBetweenDeliveries(StoreArchetype archetype)
    {
        double Demand(int fromDay, int days)
        {
            var sum = 0.0;
            for (var h = 0; h < days * 24; h++)
            {
                var hour = (fromDay * 24) + h;
                sum += Weight(archetype, (DayOfWeek)(hour / 24 % 7), hour % 24);
            }

            return sum;
        }

        // Monday → Thursday (3 days) and Thursday → Monday (4 days); DayOfWeek counts from Sunday = 0.
        return Math.Max(Demand(1, 3), Demand(4, 4));
    }

    /// <summary>Multiplier on slot capacity (a supermarket's slots are deeper).</summary>
    public static double CapacityFactor(StoreArchetype archetype) => archetype == StoreArchetype.SupermarketAisle ? 1.5 : 1.0;

    /// <summary>Range of the store's size factor on demand.</summary>
    public static (double Min, double Max) Size(StoreArchetype archetype) => archetype switch
    {
        StoreArchetype.Convenience => (0.7, 1.2),
        StoreArchetype.SupermarketAisle => (1.1, 1.8),
        _ => (0.8, 1.4),
    };

    /// <summary>
    /// The most demand (in average-hour units) that falls between two consecutive rounds in any day of the week: a slot
    /// is sized so it usually lasts that long, and runs out on busy days, promotions and late or missed rounds.
    /// </summary>
    public static double MostDemandBetweenRounds(StoreArchetype archetype)
    {
        var most = 0.0;
        var rounds = new List<double>();
        for (var d = 0; d < 14; d++)
        {
            rounds.AddRange(Rounds(archetype, (DayOfWeek)(d % 7)).Select(h => (d * 24) + h));
        }

        for (var i = 0; i + 1 < rounds.Count; i++)
        {
            var sum = 0.0;
            for (var t = rounds[i]; t < rounds[i + 1]; t += 0.25)
            {
                var hour = (int)t;
                sum += Weight(archetype, (DayOfWeek)(hour / 24 % 7), hour % 24) * 0.25;
            }

            most = Math.Max(most, sum);
        }

        return most;
    }

    private static double[] Hours(int from, double[] weights)
    {
        var all = new double[24];
        weights.CopyTo(all, from);
        return all;
    }
}
