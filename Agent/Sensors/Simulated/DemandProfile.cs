namespace ShelfAgent.Sensors.Simulated;

/// <summary>
/// How busy a convenience store is over a week, as a multiplier of a slot's mean picks per hour: quiet
/// nights, a lunch peak, a bigger after-work peak, busier Fridays and Saturdays. The weights average to
/// 1 over a week, so <c>PicksPerHour</c> keeps its meaning as a weekly mean.
/// </summary>
public static class DemandProfile
{
    // Relative demand per local hour 0–23 (shape of typical soft-drink sales at a store).
    private static readonly double[] Hourly =
    [
        0.10, 0.05, 0.05, 0.05, 0.10, 0.25, 0.55, 0.90, 1.00, 0.95, 1.05, 1.50,
        1.90, 1.60, 1.10, 1.05, 1.30, 1.80, 2.00, 1.70, 1.20, 0.80, 0.45, 0.20,
    ];

    // Monday..Sunday (DayOfWeek order starts at Sunday).
    private static readonly double[] Daily = [0.85, 0.90, 0.92, 0.95, 1.00, 1.18, 1.20];

    private static readonly double HourlyMean = Hourly.Average();
    private static readonly double DailyMean = Daily.Average();

    /// <summary>Demand multiplier at an instant (the store's local time is taken as UTC in the simulation).</summary>
    public static double At(DateTimeOffset time)
    {
        var day = Daily[((int)time.DayOfWeek + 6) % 7];
        return Hourly[time.Hour] / HourlyMean * (day / DailyMean);
    }
}
