using ShelfAgent.Validation;

namespace ShelfAgent.Config;

/// <summary>What <see cref="AgentConfigLoader.LoadLayered"/> read: the options (meaningful only without problems) and what is wrong.</summary>
/// <param name="Options">The options as read; defaults stand where a value was refused.</param>
/// <param name="Problems">Everything wrong, each naming its key (flat: <c>Slots:0:LowStockAt</c>).</param>
/// <param name="Warnings">Keys nobody reads, one line each naming the file.</param>
/// <param name="EnvironmentKeys">Keys set by environment variables (key → variable name): they win over any overlay.</param>
public sealed record LayeredConfig(
    AgentOptions Options,
    IReadOnlyList<ConfigProblem> Problems,
    IReadOnlyList<string> Warnings,
    IReadOnlyDictionary<string, string> EnvironmentKeys);
