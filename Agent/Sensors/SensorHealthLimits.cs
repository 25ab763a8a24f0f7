namespace ShelfAgent.Sensors;

/// <summary>What counts as an unhealthy reading for one slot.</summary>
/// <param name="MinGrams">Below this, the reading is out of range; null: not checked.</param>
/// <param name="MaxGrams">Above this, the reading is out of range; null: not checked.</param>
/// <param name="StuckAfter">Identical raw values for this long mean a stuck converter; null: not checked.</param>
public sealed record SensorHealthLimits(double? MinGrams = null, double? MaxGrams = null, TimeSpan? StuckAfter = null)
{
    /// <summary>No checks.</summary>
    public static SensorHealthLimits None { get; } = new();
}
