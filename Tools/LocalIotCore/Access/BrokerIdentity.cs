using ShelfAgent.LocalIot.Registry;

namespace ShelfAgent.LocalIot.Access;

/// <summary>A certificate as the broker knows it: its CN (the mosquitto user name), its kind, and its thing if attached.</summary>
public sealed record BrokerIdentity(string CommonName, IdentityKind Kind, RegisteredThing? Thing = null);
