namespace ShelfAgent.Backtest.Scoring;

/// <summary>
/// One alert of a strategy on one slot: raised at <paramref name="At"/> with horizon <paramref name="Horizon"/>, its
/// episode open until <paramref name="Until"/> (cleared or restocked; null while still open at the end; equal to
/// <paramref name="At"/> for strategies without episodes).
/// </summary>
public sealed record ScoredAlert(DateTimeOffset At, TimeSpan Horizon, DateTimeOffset? Until);
