namespace ShelfAgent.Sensors;

/// <summary>One sample of a slot's sensor as the sampler sees it: raw value, grams, or why there are none.</summary>
/// <param name="Raw">The sensor's raw value (ADC code, volts, mapped unit), when it answered.</param>
/// <param name="Grams">Calibrated gross weight; null when the sample is a fault.</param>
/// <param name="FaultReason">Why the sample is a fault ("timeout: HX711 not ready…"), or null.</param>
public sealed record SensorSample(double? Raw, double? Grams, string? FaultReason)
{
    /// <summary>True when the sample carries no usable weight.</summary>
    public bool IsFault => FaultReason is not null;
}
