using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// An AWS IoT Core policy document (developer guide "AWS IoT Core policies"): Version and Statement, where each
/// statement's Action and Resource may be a string or a list. Parsed from JSON, no behaviour of its own.
/// </summary>
public sealed record IotPolicy(IReadOnlyList<PolicyStatement> Statements)
{
    /// <summary>
    /// The policies attached to one certificate, evaluated together (developer guide "AWS IoT Core policies": IAM
    /// evaluation over all of them, an explicit deny anywhere wins).
    /// </summary>
    public static IotPolicy Combine(params IotPolicy[] policies) => new([.. policies.SelectMany(p => p.Statements)]);

    /// <summary>Parses a policy; throws <see cref="FormatException"/> for a document that is not one.</summary>
    public static IotPolicy Parse(string json, string name = "policy")
    {
        var root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("policy is not a JSON object");
        var statements = root["Statement"] switch
        {
            JsonArray list => list.Select(s => s as JsonObject ?? throw new FormatException("Statement entry is not an object")).ToList(),
            JsonObject one => [one],
            _ => throw new FormatException("policy has no Statement"),
        };
        return new IotPolicy([.. statements.Select((s, i) => new PolicyStatement(
            name,
            i,
            s["Effect"]?.GetValue<string>() switch
            {
                "Allow" => PolicyEffect.Allow,
                "Deny" => PolicyEffect.Deny,
                var other => throw new FormatException($"Statement {i}: Effect '{other}' is neither Allow nor Deny"),
            },
            Strings(s["Action"], i, "Action"),
            Strings(s["Resource"], i, "Resource"),
            s["Condition"] as JsonObject))]);
    }

    /// <summary>Every (action, resource) pair the Allow statements grant.</summary>
    public IReadOnlyList<PolicyGrant> Grants() =>
        [.. Statements
            .Where(s => s.Effect == PolicyEffect.Allow)
            .SelectMany(s => s.Actions.SelectMany(a => s.Resources.Select(r => new PolicyGrant(s.Policy, s.Index, a, r))))];

    private static List<string> Strings(JsonNode? node, int index, string name) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a => [.. a.Select(x => x!.GetValue<string>())],
        _ => throw new FormatException($"Statement {index}: {name} is neither a string nor a list"),
    };
}
