namespace ShelfAgent.Sensors;

public sealed partial class SensorOptions
{
    /// <summary>HX711 datasheet: RATE pin high gives 80 samples/s, the fastest it converts.</summary>
    private const double Hx711FastestSps = 80;

    /// <summary>
    /// The least time one reading can take, in ms: <see cref="Samples"/> conversions at the chip's rate (the
    /// fastest for an HX711, whose rate is a pin the agent cannot see). A lower bound, used to refuse a
    /// sampling interval that cannot be met.
    /// </summary>
    public double MinimumReadMs => Type switch
    {
        SensorType.Hx711 => Samples * 1000.0 / Hx711FastestSps,
        SensorType.Nau7802 => Samples * 1000.0 / (SamplesPerSecond ?? 10),
        SensorType.Ads1115 => Samples * 1000.0 / (SamplesPerSecond ?? 128),
        _ => 0,
    };
}
