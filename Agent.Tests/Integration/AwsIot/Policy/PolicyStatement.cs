using System.Text.Json.Nodes;

namespace ShelfAgent.Tests.Integration.AwsIot.Policy;

/// <summary>One statement of an IoT policy: Effect, Action patterns, Resource patterns, and its Condition block (or null).</summary>
public sealed record PolicyStatement(int Index, PolicyEffect Effect, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, JsonObject? Condition);
