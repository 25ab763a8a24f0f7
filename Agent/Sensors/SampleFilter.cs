namespace ShelfAgent.Sensors;

/// <summary>Pure robust averages over a burst of conversions: one spike (a knock on the shelf) does not move them.</summary>
public static class SampleFilter
{
    /// <summary>Median; the mean of the middle two for an even count.</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Mean after dropping <paramref name="trimFraction"/> of the values at each end (at least one each when 5 or more).</summary>
    public static double TrimmedMean(ReadOnlySpan<double> values, double trimFraction = 0.2)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(trimFraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trimFraction, 0.5);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var drop = (int)Math.Floor(sorted.Length * trimFraction);
        if (drop == 0 && sorted.Length >= 5 && trimFraction > 0)
        {
            drop = 1;
        }

        var kept = sorted.AsSpan(drop, sorted.Length - 2 * drop);
        var sum = 0.0;
        foreach (var v in kept)
        {
            sum += v;
        }

        return sum / kept.Length;
    }

    /// <summary>
    /// Takes <paramref name="samples"/> conversions (at least one) from <paramref name="read"/>, one after the other,
    /// and combines them with <paramref name="filter"/>: how every sensor on a chip turns a burst into one value.
    /// </summary>
    public static async ValueTask<double> ReadAsync(
        SampleFilterKind filter, int samples, Func<CancellationToken, ValueTask<double>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var values = new double[Math.Max(1, samples)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = await read(cancellationToken).ConfigureAwait(false);
        }

        return Apply(filter, values);
    }

    /// <summary>Applies the filter agent.json names.</summary>
    public static double Apply(SampleFilterKind filter, ReadOnlySpan<double> values)
        => filter == SampleFilterKind.TrimmedMean ? TrimmedMean(values) : Median(values);
}
