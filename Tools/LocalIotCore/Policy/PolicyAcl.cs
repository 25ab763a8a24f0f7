using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// Turns what an IoT policy grants one connection into mosquitto ACL lines, so the broker refuses what the policy
/// refuses. Substitutes the connection's policy variables, then maps topic resources: iot:Publish → write;
/// iot:Subscribe (topicfilter/…) and iot:Receive (topic/…) → read (mosquitto checks both with read); Deny → deny.
/// A whole-level policy <c>*</c> becomes <c>+</c>, a trailing <c>/*</c> becomes <c>/#</c>. What mosquitto cannot
/// express is left out (so the broker is stricter, never looser, except that <c>a/#</c> also matches <c>a</c>):
/// partial-level wildcards (<c>a*</c>, <c>?</c>) and resources with unresolved variables, listed in
/// <see cref="Result.Unexpressed"/>. iot:Connect and iot:RetainPublish have no ACL form: the policy contract test
/// evaluates them from the broker's log. Pure.
/// </summary>
public static class PolicyAcl
{
    public sealed record Result(IReadOnlyList<AclEntry> Entries, IReadOnlyList<string> Unexpressed);

    public static Result For(IotPolicy policy, ConnectionContext connection, string arnPrefix)
    {
        var entries = new List<AclEntry>();
        var unexpressed = new List<string>();
        foreach (var statement in policy.Statements)
        {
            if (!PolicyConditions.Hold(statement.Condition, connection))
            {
                continue;
            }

            foreach (var action in statement.Actions)
            {
                var access = Access(action, statement.Effect);
                if (access is null)
                {
                    continue;
                }

                var kind = action.Equals(IotActions.Subscribe, StringComparison.OrdinalIgnoreCase) ? "topicfilter/" : "topic/";
                foreach (var resource in statement.Resources)
                {
                    var pattern = PolicyVariables.Substitute(resource, connection);
                    var prefix = $"{arnPrefix}:{kind}";
                    if (pattern is null || !pattern.StartsWith(prefix, StringComparison.Ordinal) || MqttTopic(pattern[prefix.Length..]) is not { } topic)
                    {
                        unexpressed.Add($"{action} {resource}");
                        continue;
                    }

                    entries.Add(new AclEntry(access, topic));
                }
            }
        }

        return new Result([.. entries.Distinct()], unexpressed);
    }

    /// <summary>A policy topic pattern as an MQTT filter, or null when mosquitto cannot express it.</summary>
    public static string? MqttTopic(string pattern)
    {
        var levels = pattern.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level == "*")
            {
                levels[i] = i == levels.Length - 1 ? "#" : "+";
            }
            else if (level.Contains('*', StringComparison.Ordinal) || level.Contains('?', StringComparison.Ordinal)
                || level.Contains('+', StringComparison.Ordinal) || level.Contains('#', StringComparison.Ordinal))
            {
                // A partial wildcard, or MQTT wildcards that the policy means literally: no ACL line says exactly that.
                return null;
            }
        }

        return string.Join('/', levels).Replace(PolicyVariables.Literal.Star, "*", StringComparison.Ordinal)
            .Replace(PolicyVariables.Literal.Question, "?", StringComparison.Ordinal);
    }

    private static string? Access(string action, PolicyEffect effect)
    {
        var access = action.ToLowerInvariant() switch
        {
            "iot:publish" => "write",
            "iot:subscribe" or "iot:receive" => "read",
            "iot:*" => "readwrite",
            _ => null,
        };
        return access is null ? null : effect == PolicyEffect.Deny ? "deny" : access;
    }
}
