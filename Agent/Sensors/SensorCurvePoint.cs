namespace ShelfAgent.Sensors;

/// <summary>One point of <c>Slots[].Sensor.Curve</c>: at <see cref="Volts"/> the sensor reads <see cref="Value"/>.</summary>
public sealed class SensorCurvePoint
{
    /// <summary>Input voltage.</summary>
    public double Volts { get; set; }

    /// <summary>Value in the sensor's unit (e.g. millimetres to the front product).</summary>
    public double Value { get; set; }
}
