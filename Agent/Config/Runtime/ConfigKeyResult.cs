namespace ShelfAgent.Config.Runtime;

/// <summary>The outcome for one changed key.</summary>
/// <param name="Key">The key as agent.json names it, with slots by id: <c>Sampling:IntervalMs</c>, <c>Slots:A1:LowStockAt</c>.</param>
/// <param name="Accepted">True when the value is now in effect (and persisted).</param>
/// <param name="Reason">Why it was refused (the same message agent.json would get); null when accepted.</param>
public sealed record ConfigKeyResult(string Key, bool Accepted, string? Reason = null);
