
namespace ShelfAgent.Sensors;

/// <summary>
/// Piecewise-linear map from volts to a sensor's unit (e.g. an IR distance sensor's voltage to millimetres),
/// extrapolated linearly beyond the end points. Pure.
/// </summary>
public sealed class VoltageCurve
{
    private readonly (double Volts, double Value)[] _points;

    /// <summary>Creates the curve; points must have strictly increasing volts, at least two.</summary>
    public VoltageCurve(IEnumerable<(double Volts, double Value)> points)
    {
        _points = points.ToArray();
        if (_points.Length < 2)
        {
            throw new ArgumentException("a curve needs at least two points", nameof(points));
        }

        for (var i = 1; i < _points.Length; i++)
        {
            if (!(_points[i].Volts > _points[i - 1].Volts))
            {
                throw new ArgumentException("curve points must have strictly increasing volts", nameof(points));
            }
        }
    }

    /// <summary>From config; null when no curve is configured.</summary>
    public static VoltageCurve? From(IReadOnlyList<SensorCurvePoint> points)
        => points is null || points.Count == 0 ? null : new VoltageCurve(points.Select(p => (p.Volts, p.Value)));

    /// <summary>The value at <paramref name="volts"/>.</summary>
    public double Map(double volts)
    {
        var i = 1;
        while (i < _points.Length - 1 && volts > _points[i].Volts)
        {
            i++;
        }

        var (v0, y0) = _points[i - 1];
        var (v1, y1) = _points[i];
        return y0 + (volts - v0) * (y1 - y0) / (v1 - v0);
    }
}
