namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// The upper tail of items picked when picks are burstier than Poisson. A customer takes one item or several, and a
/// day sells more or less than its hour-of-week mean, so the items picked in a horizon vary more than their mean:
/// the negative binomial with the same mean and variance (a gamma mixture of Poissons) is used instead, and falls
/// back to <see cref="PoissonTail"/> when the variance is not above the mean.
/// </summary>
public static class NegativeBinomialTail
{
    /// <summary>P(N ≥ <paramref name="n"/>) for N with mean <paramref name="mean"/> and variance <paramref name="variance"/>.</summary>
    public static double AtLeast(int n, double mean, double variance)
    {
        if (n <= 0)
        {
            return 1;
        }

        if (!(mean > 0))
        {
            return 0;
        }

        if (!(variance > mean * 1.000001) || !double.IsFinite(variance))
        {
            return PoissonTail.AtLeast(n, mean);
        }

        // Mean μ = r·q/(1−q), variance σ² = μ/(1−q): q = 1 − μ/σ², r = μ²/(σ² − μ).
        // P(0) = (1−q)^r, P(k+1) = P(k)·q·(k+r)/(k+1), summed in log space.
        var q = 1 - (mean / variance);
        var r = mean * mean / (variance - mean);
        var logQ = Math.Log(q);
        var logTerm = r * Math.Log(1 - q);
        var max = logTerm;
        var logs = n <= 512 ? stackalloc double[n] : new double[n];
        for (var k = 0; k < n; k++)
        {
            logs[k] = logTerm;
            max = Math.Max(max, logTerm);
            logTerm += logQ + Math.Log((k + r) / (k + 1));
        }

        double sum = 0;
        foreach (var l in logs)
        {
            sum += Math.Exp(l - max);
        }

        var below = Math.Exp(max + Math.Log(sum));
        return Math.Clamp(1 - below, 0, 1);
    }
}
