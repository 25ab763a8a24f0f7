namespace ShelfAgent.Config.Runtime;

/// <summary>One changed key of a remote configuration change.</summary>
/// <param name="Key">As reported: slots by id (<c>Slots:A1:LowStockAt</c>).</param>
/// <param name="FlatKey">As the configuration layer names it: slots by position in agent.json (<c>Slots:0:LowStockAt</c>).</param>
/// <param name="Value">The value as configuration text (invariant culture); null puts agent.json's value back.</param>
public sealed record ConfigPatchEntry(string Key, string FlatKey, string? Value);
