namespace ShelfAgent.Stock.Forecasting;

/// <summary>Items picked and items the weekly shape expected over a fading window (the evidence for today's level).</summary>
public readonly record struct LevelEvidence(double Seen, double Expected);
