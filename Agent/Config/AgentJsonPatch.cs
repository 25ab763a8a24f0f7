using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.Config;

/// <summary>
/// Rewrites agent.json's text with keys set, keeping every other key, the key order and the indentation (comments,
/// which the configuration reader tolerates, are not kept). Keys are configuration paths (<c>Sampling:IntervalMs</c>,
/// <c>Slots:0:LowStockAt</c>, array elements by position) and match case-insensitively, as configuration keys do.
/// A value keeps the JSON kind the file had for it (a string stays a string); a new value that reads as a number or
/// true/false is written as one. Pure: text in, text out. Used by <c>provision</c> (the identity keys) and the
/// <c>config-update</c> job (docs/jobs.md).
/// </summary>
public static class AgentJsonPatch
{
    private static readonly JsonDocumentOptions Read = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The root object of agent.json's text.</summary>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static JsonObject Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonNode.Parse(json, documentOptions: Read) as JsonObject ?? throw new JsonException("agent.json is not a JSON object.");
    }

    /// <summary>The text with each key set to its value (sections created when missing).</summary>
    /// <exception cref="JsonException">The text is not a JSON object, or a key names an array element that is not there.</exception>
    public static string Apply(string json, IEnumerable<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var root = Parse(json);
        foreach (var (key, value) in values)
        {
            Set(root, key.Split(':'), value);
        }

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

    /// <summary>The member of <paramref name="obj"/> named <paramref name="key"/>, case-insensitively.</summary>
    public static KeyValuePair<string, JsonNode?>? Find(JsonObject obj, string key)
    {
        ArgumentNullException.ThrowIfNull(obj);
        foreach (var pair in obj)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair;
            }
        }

        return null;
    }

    private static void Set(JsonNode parent, string[] path, string value)
    {
        var node = parent;
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = Child(node, path[i], create: true) ?? throw new JsonException($"agent.json has no {string.Join(':', path[..(i + 1)])}.");
        }

        var last = path[^1];
        switch (node)
        {
            case JsonObject obj:
                var existing = Find(obj, last);
                obj[existing?.Key ?? last] = ValueLike(existing?.Value, value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                array[index] = ValueLike(array[index], value);
                break;
            default:
                throw new JsonException($"agent.json has no {string.Join(':', path)}.");
        }
    }

    private static JsonNode? Child(JsonNode node, string name, bool create)
    {
        switch (node)
        {
            case JsonObject obj:
                if (Find(obj, name) is { Value: JsonObject or JsonArray } found)
                {
                    return found.Value;
                }

                if (!create)
                {
                    return null;
                }

                var section = new JsonObject();
                obj[Find(obj, name)?.Key ?? name] = section;
                return section;
            case JsonArray array when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count:
                return array[index];
            default:
                return null;
        }
    }

    private static JsonNode ValueLike(JsonNode? existing, string value)
    {
        var kind = existing is JsonValue v ? v.GetValueKind() : (JsonValueKind?)null;
        if (value is "true" or "false" && kind is null or JsonValueKind.True or JsonValueKind.False)
        {
            return JsonValue.Create(value == "true");
        }

        if (kind is null or JsonValueKind.Number && IsPlainNumber(value))
        {
            return JsonNode.Parse(value)!;
        }

        return JsonValue.Create(value);
    }

    // A number as JSON writes it (no leading zeros, no "+", no "NaN"): safe to write unquoted.
    private static bool IsPlainNumber(string value)
    {
        try
        {
            return JsonNode.Parse(value) is JsonValue v && v.GetValueKind() == JsonValueKind.Number;
        }
        catch (JsonException)
        {
            return false;
        }
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
