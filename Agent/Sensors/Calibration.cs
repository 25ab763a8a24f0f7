namespace ShelfAgent.Sensors;

/// <summary>
/// Linear map from a sensor's raw unit to grams: <c>grams = (raw − Offset) × Scale</c>.
/// The identity (offset 0, scale 1) is right for the simulated load cell, which already speaks grams.
/// </summary>
public sealed record Calibration(double Offset, double Scale)
{
    /// <summary>Raw value is already grams.</summary>
    public static Calibration Identity { get; } = new(0, 1);

    /// <summary>Applies the calibration.</summary>
    public double ToGrams(double raw) => (raw - Offset) * Scale;
}
