using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// Reads the shadow service's documents (AWS IoT Developer Guide, "Device Shadow service documents"). Pure.
/// <c>/update/delta</c>: <c>{"version":N,"timestamp":…,"state":{…desired keys that differ…},"metadata":{…}}</c>;
/// <c>/get/accepted</c>: <c>{"state":{"desired":{…},"reported":{…},"delta":{…}},"metadata":{…},"version":N,…}</c>.
/// </summary>
public static class ShadowDocuments
{
    /// <summary>A <c>/update/delta</c> message, or null when it is not one (no version or no state object).</summary>
    public static ShadowDesired? ParseDelta(ReadOnlySpan<byte> json)
    {
        if (Parse(json) is not { } root || Version(root) is not { } version || root["state"] is not JsonObject state)
        {
            return null;
        }

        return new ShadowDesired(version, (JsonObject)state.DeepClone(), 0);
    }

    /// <summary>A <c>/get/accepted</c> reply, or null when it is not one; <see cref="ShadowDesired.Delta"/> is null when nothing differs.</summary>
    public static ShadowDesired? ParseGetAccepted(ReadOnlySpan<byte> json)
    {
        if (Parse(json) is not { } root || Version(root) is not { } version)
        {
            return null;
        }

        var state = root["state"] as JsonObject;
        var desired = state?["desired"] as JsonObject;
        var delta = state?["delta"] as JsonObject;
        var desiredBytes = desired is null ? 0 : Encoding.UTF8.GetByteCount(desired.ToJsonString());
        return new ShadowDesired(version, delta is { Count: > 0 } ? (JsonObject)delta.DeepClone() : null, desiredBytes);
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return JsonNode.Parse(ref reader) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Version(JsonObject root)
        => root["version"] is JsonValue v && v.TryGetValue<long>(out var version) ? version : null;
}
