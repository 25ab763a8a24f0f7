namespace ShelfAgent.Stock.Forecasting;

/// <summary>
/// The upper tail of a Poisson distribution. Picks are a counting process, so the number of picks in the coming
/// horizon is Poisson with mean Λ = ∫ λ(t) dt (a non-homogeneous Poisson process), and the slot empties within the
/// horizon exactly when at least <c>count</c> picks come: P(empty) = P(N ≥ count).
/// </summary>
public static class PoissonTail
{
    /// <summary>P(N ≥ <paramref name="n"/>) for N ~ Poisson(<paramref name="mean"/>).</summary>
    public static double AtLeast(int n, double mean)
    {
        if (n <= 0)
        {
            return 1;
        }

        if (!(mean > 0))
        {
            return 0;
        }

        // P(N < n) = Σ_{k<n} e^{-μ} μ^k / k!, summed in log space so a large μ does not underflow e^{-μ}.
        var logMean = Math.Log(mean);
        var logTerm = -mean;
        var max = logTerm;
        var logs = n <= 512 ? stackalloc double[n] : new double[n];
        for (var k = 0; k < n; k++)
        {
            logs[k] = logTerm;
            max = Math.Max(max, logTerm);
            logTerm += logMean - Math.Log(k + 1);
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
