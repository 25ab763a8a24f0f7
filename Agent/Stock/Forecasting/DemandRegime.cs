namespace ShelfAgent.Stock.Forecasting;

/// <summary>One reading of today's demand: how likely it is, and the level (× the weekly shape) it implies.</summary>
/// <param name="Weight">Posterior probability of this regime given the picks seen lately (the regimes sum to 1).</param>
/// <param name="Level">Posterior mean of the level under this regime.</param>
public readonly record struct DemandRegime(double Weight, double Level);
