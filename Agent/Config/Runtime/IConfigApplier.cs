using System.Text.Json.Nodes;

namespace ShelfAgent.Config.Runtime;

/// <summary>
/// Applies configuration changes to the running agent without a restart (issue 14, "The device shadow":
/// valid values applied, persisted, reported; invalid ones refused with key and reason). The shadow's desired
/// state and the jobs helper's <c>config-update</c> operation both call it; docs/shadow.md lists the keys.
/// </summary>
public interface IConfigApplier
{
    /// <summary>
    /// Validates <paramref name="changes"/> (keys in agent.json's shape, e.g. <c>{"Sampling":{"IntervalMs":500}}</c>;
    /// slots as <c>{"Slots":{"A1":{"LowStockAt":3}}}</c> or <c>{"Slots":[{"Id":"A1","LowStockAt":3}]}</c>, matched by
    /// <c>Id</c>) with the same rules as agent.json; applies the valid keys without restarting; persists them (a device
    /// that boots offline uses them); returns one <see cref="ConfigKeyResult"/> per changed key. A key set to
    /// <c>null</c> goes back to agent.json's value. Never throws for bad input: a refused key says why.
    /// </summary>
    Task<ConfigApplyResult> ApplyAsync(JsonObject changes, ConfigChangeSource source, CancellationToken cancellationToken);
}
