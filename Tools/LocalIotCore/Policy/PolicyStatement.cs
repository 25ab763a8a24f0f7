using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>One statement of an IoT policy: the policy's name, its index there, Effect, Action and Resource patterns, Condition (or null).</summary>
public sealed record PolicyStatement(
    string Policy, int Index, PolicyEffect Effect, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, JsonObject? Condition);
