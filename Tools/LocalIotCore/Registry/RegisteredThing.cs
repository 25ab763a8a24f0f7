namespace ShelfAgent.LocalIot.Registry;

/// <summary>A thing in the registry: its name and attributes (the policy's ${iot:Connection.Thing.Attributes[…]}).</summary>
public sealed record RegisteredThing(string Name, IReadOnlyDictionary<string, string> Attributes);
