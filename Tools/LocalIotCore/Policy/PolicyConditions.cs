using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// The Condition operators IoT device policies use (IAM "Condition operators"): Bool, StringEquals, StringNotEquals,
/// StringLike, StringNotLike, each with keys that are connection variables (iot:ClientId,
/// iot:Connection.Thing.ThingName, iot:Connection.Thing.IsAttached, iot:Connection.Thing.Attributes[…]). All
/// operators and all keys must hold; a key with several values holds if any does. Another operator is a
/// <see cref="NotSupportedException"/>: a test must not pass by ignoring a condition. Pure.
/// </summary>
public static class PolicyConditions
{
    public static bool Hold(JsonObject? condition, ConnectionContext connection)
    {
        if (condition is null)
        {
            return true;
        }

        foreach (var (op, block) in condition)
        {
            if (block is not JsonObject keys)
            {
                throw new FormatException($"Condition {op} is not an object");
            }

            foreach (var (key, expected) in keys)
            {
                var actual = connection.Variable(key);
                var values = expected switch
                {
                    JsonArray a => a.Select(Text).ToList(),
                    _ => [Text(expected)],
                };
                var holds = op switch
                {
                    "Bool" or "StringEquals" => actual is not null && values.Contains(actual, StringComparer.Ordinal),
                    "StringNotEquals" => actual is null || !values.Contains(actual, StringComparer.Ordinal),
                    "StringLike" => actual is not null && values.Any(v => PolicyWildcard.Matches(v, actual)),
                    "StringNotLike" => actual is null || !values.Any(v => PolicyWildcard.Matches(v, actual)),
                    _ => throw new NotSupportedException($"condition operator {op} is not evaluated by this test evaluator"),
                };
                if (!holds)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>() ? "true" : "false",
        _ => node?.ToJsonString() ?? "",
    };
}
