using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Shadow;

/// <summary>
/// The classic (unnamed) Device Shadow over MQTT (developer guide "Device Shadow MQTT topics", "Device Shadow
/// service documents", "Device Shadow error messages"): get, update (desired/reported, null deletes, version as an
/// optimistic lock → 409, clientToken echoed), delete; on an accepted update it publishes …/update/accepted,
/// …/update/documents and, when the update touched desired and desired still differs from reported,
/// …/update/delta with only the differing keys. Limits: state ≤ 8 KB (413), depth ≤ 5 below desired/reported,
/// clientToken ≤ 64 bytes (400).
/// </summary>
public sealed class ShadowApi(TimeProvider time)
{
    /// <summary>Developer guide "AWS IoT Device Shadow service quotas": 8 KB per state document (metadata excluded).</summary>
    public const int MaxStateBytes = 8 * 1024;

    /// <summary>Levels below desired or reported.</summary>
    public const int MaxDepth = 5;

    private const string Prefix = "$aws/things/";
    private const string Infix = "/shadow/";
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ShadowDocument> _shadows = new(StringComparer.Ordinal);
    private long _changes;

    /// <summary>Grows with every accepted update or delete: a state folder is written again when it moved.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>(thing, operation) when the topic is a classic shadow request: operation get, update or delete.</summary>
    public static (string Thing, string Operation)? Parse(string topic)
    {
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = topic[Prefix.Length..];
        var infix = rest.IndexOf(Infix, StringComparison.Ordinal);
        if (infix <= 0)
        {
            return null;
        }

        var operation = rest[(infix + Infix.Length)..];
        return operation is "get" or "update" or "delete" ? (rest[..infix], operation) : null;
    }

    /// <summary>The current document (state, metadata, version), or null when the thing has no shadow.</summary>
    public JsonObject? Document(string thing)
    {
        lock (_gate)
        {
            return _shadows.TryGetValue(thing, out var s) ? s.ToJson(withDelta: true) : null;
        }
    }

    /// <summary>A copy of every shadow, by thing: what a state folder keeps.</summary>
    public IReadOnlyDictionary<string, ShadowDocument> Snapshot()
    {
        lock (_gate)
        {
            return _shadows.ToDictionary(s => s.Key, s => s.Value.Clone(), StringComparer.Ordinal);
        }
    }

    /// <summary>Puts back shadows a state folder kept (before the service answers anything).</summary>
    public void Restore(IReadOnlyDictionary<string, ShadowDocument> shadows)
    {
        ArgumentNullException.ThrowIfNull(shadows);
        lock (_gate)
        {
            foreach (var (thing, document) in shadows)
            {
                _shadows[thing] = document.Clone();
            }
        }
    }

    public IReadOnlyList<IotReply> Handle(string topic, ReadOnlySpan<byte> payload)
    {
        var (thing, operation) = Parse(topic) ?? throw new ArgumentException("not a shadow topic", nameof(topic));
        JsonObject? request = null;
        try
        {
            request = payload.IsEmpty ? [] : JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var baseTopic = Prefix + thing + Infix + operation;
        if (request is null)
        {
            return [Error(baseTopic, 400, "Invalid JSON", null)];
        }

        var token = request["clientToken"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        if (token is not null && Encoding.UTF8.GetByteCount(token) > 64)
        {
            return [Error(baseTopic, 400, "Invalid clientToken", null)];
        }

        lock (_gate)
        {
            return operation switch
            {
                "get" => [Get(thing, baseTopic, token)],
                "delete" => [Delete(thing, baseTopic, token)],
                _ => Update(thing, baseTopic, request, token),
            };
        }
    }

    /// <summary>An update made by the cloud side (what UpdateThingShadow would do), with its messages to publish.</summary>
    public IReadOnlyList<IotReply> UpdateFromService(string thing, JsonObject request) =>
        Handle(Prefix + thing + Infix + "update", Encoding.UTF8.GetBytes(request.ToJsonString()));

    private IotReply Get(string thing, string baseTopic, string? token)
    {
        if (!_shadows.TryGetValue(thing, out var shadow))
        {
            return Error(baseTopic, 404, $"No shadow exists with name: '{thing}'", token);
        }

        var body = shadow.ToJson(withDelta: true);
        Stamp(body, token);
        return new IotReply(baseTopic + "/accepted", body);
    }

    private IotReply Delete(string thing, string baseTopic, string? token)
    {
        if (!_shadows.Remove(thing, out var shadow))
        {
            return Error(baseTopic, 404, $"No shadow exists with name: '{thing}'", token);
        }

        Interlocked.Increment(ref _changes);
        var body = new JsonObject { ["version"] = shadow.Version };
        Stamp(body, token);
        return new IotReply(baseTopic + "/accepted", body);
    }

    private List<IotReply> Update(string thing, string baseTopic, JsonObject request, string? token)
    {
        if (request["state"] is not { } stateNode)
        {
            return [Error(baseTopic, 400, "Missing required node: state", token)];
        }

        if (stateNode is not JsonObject state)
        {
            return [Error(baseTopic, 400, "State node must be an object", token)];
        }

        foreach (var (key, value) in state)
        {
            if (key is not ("desired" or "reported"))
            {
                return [Error(baseTopic, 400, "State contains an invalid node", token)];
            }

            if (value is not (null or JsonObject))
            {
                return [Error(baseTopic, 400, key == "desired" ? "Desired node must be an object" : "Reported node must be an object", token)];
            }

            if (ShadowState.Depth(value) > MaxDepth)
            {
                return [Error(baseTopic, 400, "JSON contains too many levels of nesting; maximum is 6", token)];
            }
        }

        _shadows.TryGetValue(thing, out var existing);
        var currentVersion = existing?.Version ?? 0;
        if (request["version"] is { } versionNode)
        {
            if (versionNode is not JsonValue v || !v.TryGetValue<long>(out var expected))
            {
                return [Error(baseTopic, 400, "Invalid version", token)];
            }

            if (expected != currentVersion)
            {
                return [Error(baseTopic, 409, "Version conflict", token)];
            }
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var previous = existing?.Clone();
        var next = existing?.Clone() ?? new ShadowDocument();
        var acceptedMetadata = new JsonObject();
        foreach (var (section, value) in state)
        {
            var isDesired = section == "desired";
            if (value is null)
            {
                // "desired": null removes the whole section.
                if (isDesired)
                {
                    next.Desired = [];
                    next.DesiredMetadata = [];
                }
                else
                {
                    next.Reported = [];
                    next.ReportedMetadata = [];
                }

                continue;
            }

            var update = (JsonObject)value;
            ShadowState.Merge(isDesired ? next.Desired : next.Reported, update);
            var metadata = MetadataUpdate(update, now);
            ShadowState.Merge(isDesired ? next.DesiredMetadata : next.ReportedMetadata, metadata);
            acceptedMetadata[section] = ShadowState.Metadata(update, now);
        }

        var size = Encoding.UTF8.GetByteCount(
            new JsonObject { ["desired"] = next.Desired.DeepClone(), ["reported"] = next.Reported.DeepClone() }.ToJsonString());
        if (size > MaxStateBytes)
        {
            return [Error(baseTopic, 413, "The payload exceeds the maximum size allowed", token)];
        }

        next.Version = currentVersion + 1;
        _shadows[thing] = next;
        Interlocked.Increment(ref _changes);

        var accepted = new JsonObject { ["state"] = state.DeepClone(), ["metadata"] = acceptedMetadata, ["version"] = next.Version };
        Stamp(accepted, token);
        var documents = new JsonObject
        {
            ["previous"] = previous?.ToJson(withDelta: false),
            ["current"] = next.ToJson(withDelta: false),
        };
        Stamp(documents, token);
        var replies = new List<IotReply> { new(baseTopic + "/accepted", accepted), new(baseTopic + "/documents", documents) };
        var delta = ShadowState.Delta(next.Desired, next.Reported);
        if (state.ContainsKey("desired") && delta.Count > 0)
        {
            var message = new JsonObject
            {
                ["version"] = next.Version,
                ["timestamp"] = now,
                ["state"] = delta,
                ["metadata"] = ShadowState.Metadata(delta, now),
            };
            if (token is not null)
            {
                message["clientToken"] = token;
            }

            replies.Add(new IotReply(baseTopic + "/delta", message));
        }

        return replies;
    }

    private static JsonObject MetadataUpdate(JsonObject update, long now)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in update)
        {
            metadata[key] = value switch
            {
                null => null,
                JsonObject child => MetadataUpdate(child, now),
                _ => new JsonObject { ["timestamp"] = now },
            };
        }

        return metadata;
    }

    private void Stamp(JsonObject body, string? token)
    {
        body["timestamp"] = time.GetUtcNow().ToUnixTimeSeconds();
        if (token is not null)
        {
            body["clientToken"] = token;
        }
    }

    private IotReply Error(string baseTopic, int code, string message, string? token)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message };
        Stamp(body, token);
        return new IotReply(baseTopic + "/rejected", body);
    }
}
