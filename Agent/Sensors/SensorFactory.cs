using ShelfAgent.Hardware;

namespace ShelfAgent.Sensors;

/// <summary>
/// Builds the hardware sensors (Hx711, Nau7802, Ads1115, Vl53l1x) from validated options. Nothing is opened here:
/// each sensor opens its bus on first read, so the agent starts on a machine without the hardware and
/// reports the sensor as a fault instead.
/// </summary>
public static class SensorFactory
{
    /// <summary>True for types this factory builds.</summary>
    public static bool IsHardware(SensorOptions options)
        => options is not null && options.Type.IsHardware();

    /// <summary>Builds the sensor on the given buses (fakes in tests).</summary>
    public static ISensor CreateHardware(SensorOptions options, TimeProvider time, IHardwareAccess hardware)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Type switch
        {
            SensorType.Hx711 => new Hx711Sensor(options, hardware, time),
            SensorType.Nau7802 => new Nau7802Sensor(options, hardware, time),
            SensorType.Ads1115 => new Ads1115Sensor(options, hardware, time),
            SensorType.Vl53l1x => new Vl53l1xSensor(options, hardware, time),
            _ => throw new NotSupportedException($"sensor type {options.Type} is not a hardware type"),
        };
    }

    /// <summary>
    /// The distance-to-items map of a distance sensor (Vl53l1x), which needs no tare or span: its options say
    /// where "empty" is and how deep an item is. Null for other types.
    /// </summary>
    public static DistanceLevel? DistanceLevelFor(SensorOptions options)
        => options?.Type == SensorType.Vl53l1x && options.EmptyDistanceMm is { } empty && options.MmPerItem is { } perItem
            ? new DistanceLevel(empty, perItem)
            : null;

    /// <summary>The health limits for a slot: configured grams range, and stuck detection (default 600 s for load cells, off otherwise).</summary>
    public static SensorHealthLimits HealthLimits(SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stuckSeconds = options.StuckSeconds ?? (options.Type.IsLoadCellAdc() ? 600 : 0);
        return new SensorHealthLimits(options.MinGrams, options.MaxGrams, stuckSeconds > 0 ? TimeSpan.FromSeconds(stuckSeconds) : null);
    }
}
