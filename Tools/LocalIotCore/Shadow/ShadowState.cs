using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Shadow;

/// <summary>
/// The pure rules of a classic shadow's state (developer guide "Device Shadow service documents"): merge an update
/// into desired/reported (objects merge key by key, a null removes the key, arrays and values replace), the delta
/// (desired keys whose value differs from reported, recursively), and the nesting depth.
/// </summary>
public static class ShadowState
{
    /// <summary>Merges <paramref name="update"/> into <paramref name="target"/> in place; null values remove keys.</summary>
    public static void Merge(JsonObject target, JsonObject update)
    {
        foreach (var (key, value) in update)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child);
                if (existing.Count == 0)
                {
                    target.Remove(key);
                }
            }
            else if (value is JsonObject fresh)
            {
                var copy = new JsonObject();
                Merge(copy, fresh);
                if (copy.Count > 0)
                {
                    target[key] = copy;
                }
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>Desired keys whose value differs from reported; nested objects give only their differing keys.</summary>
    public static JsonObject Delta(JsonObject? desired, JsonObject? reported)
    {
        var delta = new JsonObject();
        if (desired is null)
        {
            return delta;
        }

        foreach (var (key, value) in desired)
        {
            var other = reported?[key];
            if (value is JsonObject d && other is JsonObject r)
            {
                var inner = Delta(d, r);
                if (inner.Count > 0)
                {
                    delta[key] = inner;
                }
            }
            else if (!JsonNode.DeepEquals(value, other))
            {
                delta[key] = value?.DeepClone();
            }
        }

        return delta;
    }

    /// <summary>Levels of object nesting below a section: {"a":1} is 1, {"a":{"b":1}} is 2.</summary>
    public static int Depth(JsonNode? node) => node switch
    {
        JsonObject o when o.Count > 0 => 1 + o.Max(p => Depth(p.Value)),
        JsonObject => 1,
        JsonArray a when a.Count > 0 => a.Max(Depth),
        _ => 0,
    };

    /// <summary>A metadata tree mirroring <paramref name="state"/> with {"timestamp": t} at each leaf.</summary>
    public static JsonObject Metadata(JsonObject state, long timestamp)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in state)
        {
            metadata[key] = value is JsonObject child ? Metadata(child, timestamp) : new JsonObject { ["timestamp"] = timestamp };
        }

        return metadata;
    }
}
