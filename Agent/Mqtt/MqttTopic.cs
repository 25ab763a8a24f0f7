namespace ShelfAgent.Mqtt;

/// <summary>Topic names, topic filters and wildcard matching (MQTT 3.1.1 §4.7). Pure functions.</summary>
public static class MqttTopic
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="topic"/> is a valid topic name: non-empty, no wildcards (§4.7.1, §4.7.3).</summary>
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

    /// <summary>True when <paramref name="topic"/> matches <paramref name="filter"/> (§4.7.1; $-topics are not matched by a leading wildcard, §4.7.2).</summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fEnd = f.IndexOf('/');
            var fLevel = fEnd < 0 ? f : f[..fEnd];
            if (fLevel is "#")
            {
                return true; // matches the parent level and everything below (§4.7.1.2)
            }

            var tEnd = t.IndexOf('/');
            var tLevel = tEnd < 0 ? t : t[..tEnd];
            if (fLevel is not "+" && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fEnd < 0 || tEnd < 0)
            {
                // Both must end together, except "a/#" also matches "a".
                return fEnd < 0 && tEnd < 0 || (tEnd < 0 && f[(fEnd + 1)..] is "#");
            }

            f = f[(fEnd + 1)..];
            t = t[(tEnd + 1)..];
        }
    }
}
