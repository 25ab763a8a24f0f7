using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.Config;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// The device identity inside agent.json (<c>Device:ThingName</c>, <c>Mqtt:CertFile</c>, <c>Mqtt:KeyFile</c>): read it,
/// and rewrite the file's text with new values, keeping every other key, the key order and the indentation (comments,
/// which the configuration reader tolerates, are not kept). Keys match case-insensitively, as configuration keys do.
/// Pure: text in, text out.
/// </summary>
public static class AgentJsonIdentity
{
    /// <summary>The identity the three keys name (client id = thing name), or null unless all three are strings.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static IotIdentity? Read(string json)
    {
        var root = AgentJsonPatch.Parse(json);
        return (Get(root, "Device", "ThingName"), Get(root, "Mqtt", "CertFile"), Get(root, "Mqtt", "KeyFile")) is ({ } thing, { } cert, { } key)
            ? new IotIdentity(cert, key, thing)
            : null;
    }

    /// <summary>The text with the three keys set (sections created when missing).</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static string Patch(string json, string thingName, string certFile, string keyFile) => AgentJsonPatch.Apply(json,
    [
        new("Device:ThingName", thingName),
        new("Mqtt:CertFile", certFile),
        new("Mqtt:KeyFile", keyFile),
    ]);

    private static string? Get(JsonObject root, string section, string key) =>
        AgentJsonPatch.Find(root, section) is { Value: JsonObject s }
            && AgentJsonPatch.Find(s, key) is { Value: JsonValue v }
            && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : null;
}
