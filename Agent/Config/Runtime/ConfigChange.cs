namespace ShelfAgent.Config.Runtime;

/// <summary>A configuration now in effect, and the one before it.</summary>
/// <param name="Previous">The options before.</param>
/// <param name="Current">The options now.</param>
/// <param name="Keys">The keys that changed (display form, e.g. <c>Slots:A1:LowStockAt</c>).</param>
public sealed record ConfigChange(AgentOptions Previous, AgentOptions Current, IReadOnlyList<string> Keys);
