namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// What AWS IoT knows about a connection when it evaluates a policy: the client id, the thing the certificate is
/// attached to (its name and attributes) and whether it is attached. The thing-name variables resolve only when the
/// client id equals the name of a thing attached to the certificate (developer guide "Thing policy variables").
/// </summary>
public sealed record ConnectionContext(string? ClientId, string? ThingName, IReadOnlyDictionary<string, string> Attributes, bool IsAttached)
{
    /// <summary>A connection whose certificate is attached to <paramref name="thing"/>, with client id = its name.</summary>
    public static ConnectionContext ForThing(string thing, IReadOnlyDictionary<string, string>? attributes = null) =>
        new(thing, thing, attributes ?? new Dictionary<string, string>(), true);

    /// <summary>A certificate attached to no thing (e.g. a claim certificate); a null client id leaves ${iot:ClientId} unresolved.</summary>
    public static ConnectionContext Unattached(string? clientId) => new(clientId, null, new Dictionary<string, string>(), false);

    /// <summary>The value of a policy variable (without ${…}), or null when it does not resolve for this connection.</summary>
    public string? Variable(string name)
    {
        var thingResolves = ThingName is not null && IsAttached && ClientId == ThingName;
        const string attributePrefix = "iot:Connection.Thing.Attributes[";
        if (name.StartsWith(attributePrefix, StringComparison.Ordinal) && name.EndsWith(']'))
        {
            return thingResolves ? Attributes.GetValueOrDefault(name[attributePrefix.Length..^1]) : null;
        }

        return name switch
        {
            "iot:ClientId" => ClientId,
            "iot:Connection.Thing.ThingName" => thingResolves ? ThingName : null,
            "iot:Connection.Thing.IsAttached" => IsAttached ? "true" : "false",
            // Special characters (IAM policy variables): a literal *, ? or $.
            "*" => "*",
            "?" => "?",
            "$" => "$",
            _ => null,
        };
    }
}
