namespace ShelfAgent.Transport;

/// <summary>
/// Topic name and topic filter rules (MQTT 3.1.1 and 5 §4.7), checked before a publish or subscribe. Pure functions; matching is
/// MQTTnet's <c>MqttTopicFilterComparer</c>.
/// </summary>
public static class MqttTopic
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="topic"/> is a valid topic name: non-empty, no wildcards (§4.7.1, §4.7.3).
    /// </summary>
    public static void ValidateName(string topic, string paramName)
    {
        ArgumentNullException.ThrowIfNull(topic, paramName);
        if (topic.Length == 0)
        {
            throw new ArgumentException("Topic names must be at least one character (MQTT 3.1.1 §4.7.3).", paramName);
        }

        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException($"Topic name '{topic}' holds a wildcard; wildcards are for subscriptions only (MQTT 3.1.1 §4.7.1).", paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="filter"/> is a valid topic filter (§4.7.1).</summary>
    public static void ValidateFilter(string filter, string paramName)
    {
        ArgumentNullException.ThrowIfNull(filter, paramName);
        if (filter.Length == 0)
        {
            throw new ArgumentException("Topic filters must be at least one character (MQTT 3.1.1 §4.7.3).", paramName);
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            // §4.7.1.2: '#' alone in the last level; §4.7.1.3: '+' occupies a whole level.
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
            {
                throw new ArgumentException($"Topic filter '{filter}': '#' must be the whole last level (MQTT 3.1.1 §4.7.1.2).", paramName);
            }

            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
            {
                throw new ArgumentException($"Topic filter '{filter}': '+' must occupy a whole level (MQTT 3.1.1 §4.7.1.3).", paramName);
            }
        }
    }
}
