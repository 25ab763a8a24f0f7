using System.Globalization;
using System.Text.Json;

namespace ShelfAgent.Watch;

/// <summary>Lenient field readers for payloads the viewer shows: a missing or mistyped field is null, never an error.</summary>
internal static class JsonFields
{
    public static string? Text(JsonElement e, string name) =>
        Field(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static int? Int(JsonElement e, string name) =>
        Field(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;

    public static long? Long(JsonElement e, string name) =>
        Field(e, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt64(out var i) ? i : null;

    public static double? Number(JsonElement e, string name) =>
        Field(e, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;

    public static DateTimeOffset? Time(JsonElement e, string name = "ts") => Text(e, name) is { } text ? Timestamp(text) : null;

    /// <summary>An ISO-8601 time with an offset or a Z, as the wire writes them; null for anything else.</summary>
    public static DateTimeOffset? Timestamp(string text) =>
        text.Length >= 20 && text[4] == '-' && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static JsonElement? Field(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : null;

    public static JsonElement? Path(JsonElement e, params string[] names)
    {
        foreach (var name in names)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out e))
            {
                return null;
            }
        }

        return e;
    }
}
