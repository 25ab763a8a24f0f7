using System.Text.Json.Nodes;

namespace ShelfAgent.IotCore.Jobs;

/// <summary><c>{"operation":"config-update","changes":{…}}</c>: keys in agent.json's shape to merge, validate and apply.</summary>
/// <param name="Changes">E.g. <c>{"Sampling":{"IntervalMs":500}}</c>; never empty.</param>
public sealed record ConfigUpdateJob(JsonObject Changes) : JobDocument
{
    /// <summary>The operation's name on the wire.</summary>
    public const string Name = "config-update";

    /// <inheritdoc />
    public override string Operation => Name;
}
