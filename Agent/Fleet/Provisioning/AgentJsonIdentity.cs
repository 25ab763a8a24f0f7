using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.Fleet.Provisioning;

/// <summary>
/// The device identity inside agent.json (<c>Device:ThingName</c>, <c>Mqtt:CertFile</c>, <c>Mqtt:KeyFile</c>): read it,
/// and rewrite the file's text with new values, keeping every other key, the key order and the indentation (comments,
/// which the configuration reader tolerates, are not kept). Keys match case-insensitively, as configuration keys do.
/// Pure: text in, text out.
/// </summary>
public static class AgentJsonIdentity
{
    private static readonly JsonDocumentOptions s_read = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The identity keys' values (null when absent or not strings).</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static DeviceIdentity Read(string json)
    {
        var root = Parse(json);
        return new DeviceIdentity(Get(root, "Device", "ThingName"), Get(root, "Mqtt", "CertFile"), Get(root, "Mqtt", "KeyFile"));
    }

    /// <summary>The text with the three keys set (sections created when missing).</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static string Patch(string json, string thingName, string certFile, string keyFile)
    {
        var root = Parse(json);
        Set(root, "Device", "ThingName", thingName);
        Set(root, "Mqtt", "CertFile", certFile);
        Set(root, "Mqtt", "KeyFile", keyFile);
        var buffer = new ArrayBufferWriter<byte>(json.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = IndentOf(json),
            // Paths and names stay readable ("+" and non-ASCII unescaped); this is a file, not HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            root.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static JsonObject Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonNode.Parse(json, documentOptions: s_read) as JsonObject ?? throw new JsonException("agent.json is not a JSON object.");
    }

    private static string? Get(JsonObject root, string section, string key) =>
        Find(root, section) is { Value: JsonObject s } && Find(s, key) is { Value: JsonValue v } && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : null;

    private static void Set(JsonObject root, string section, string key, string value)
    {
        if (Find(root, section) is not { Value: JsonObject s })
        {
            var name = Find(root, section)?.Key ?? section;
            s = [];
            root[name] = s;
        }

        s[Find(s, key)?.Key ?? key] = JsonValue.Create(value);
    }

    private static KeyValuePair<string, JsonNode?>? Find(JsonObject obj, string key)
    {
        foreach (var pair in obj)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair;
            }
        }

        return null;
    }

    // The indentation of the first indented line, so a hand-written file keeps its look (2 when unknown).
    private static int IndentOf(string json)
    {
        foreach (var line in json.Split('\n').Skip(1))
        {
            var spaces = line.Length - line.TrimStart(' ').Length;
            if (spaces > 0 && line.Trim().Length > 0)
            {
                return Math.Clamp(spaces, 1, 8);
            }
        }

        return 2;
    }
}
