namespace ShelfAgent.Sensors;

/// <summary>
/// Pure: decides that readings have settled (the shelf stopped swinging, the load cell stopped creeping).
/// Over the last <c>window</c> readings, the mean of the newer half must differ from the older half's by
/// no more than <c>k</c> standard errors of the noise, plus an absolute floor. Scale-free, so it works on
/// raw counts before a span factor is known.
/// </summary>
public sealed class SettleDetector(int window = 10, double k = 3, double floor = 0)
{
    private readonly Queue<double> _values = new();

    /// <summary>Readings needed before a verdict.</summary>
    public int Window { get; } = window >= 4 ? window : throw new ArgumentOutOfRangeException(nameof(window), "at least 4");

    /// <summary>Adds a reading; returns true once the window has settled.</summary>
    public bool Add(double value)
    {
        _values.Enqueue(value);
        while (_values.Count > Window)
        {
            _values.Dequeue();
        }

        return IsSettled;
    }

    /// <summary>True when the window is full and shows no trend.</summary>
    public bool IsSettled
    {
        get
        {
            if (_values.Count < Window)
            {
                return false;
            }

            var v = _values.ToArray();
            var half = v.Length / 2;
            var older = v.AsSpan(0, half);
            var newer = v.AsSpan(v.Length - half);
            var drift = Math.Abs(Mean(newer) - Mean(older));
            var sigma = StdDev(older, newer);
            return drift <= k * sigma * Math.Sqrt(2.0 / half) + floor;
        }
    }

    /// <summary>Mean of the window (the settled value).</summary>
    public double Value => _values.Count == 0 ? double.NaN : _values.Average();

    /// <summary>Standard deviation of the noise within the window's halves.</summary>
    public double Noise
    {
        get
        {
            var v = _values.ToArray();
            var half = v.Length / 2;
            return half < 2 ? double.NaN : StdDev(v.AsSpan(0, half), v.AsSpan(v.Length - half));
        }
    }

    /// <summary>Forgets the readings.</summary>
    public void Reset() => _values.Clear();

    private static double Mean(ReadOnlySpan<double> s)
    {
        var sum = 0.0;
        foreach (var x in s)
        {
            sum += x;
        }

        return sum / s.Length;
    }

    // Pooled within-half standard deviation: the noise, not the step between halves.
    private static double StdDev(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double Ss(ReadOnlySpan<double> s)
        {
            var m = Mean(s);
            var ss = 0.0;
            foreach (var x in s)
            {
                ss += (x - m) * (x - m);
            }

            return ss;
        }

        var dof = a.Length + b.Length - 2;
        return dof > 0 ? Math.Sqrt((Ss(a) + Ss(b)) / dof) : 0;
    }
}
