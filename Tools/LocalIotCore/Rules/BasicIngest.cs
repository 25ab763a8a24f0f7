namespace ShelfAgent.LocalIot.Rules;

/// <summary>
/// Basic Ingest topics, <c>$aws/rules/{rule}/{topic}</c> (developer guide, "Reducing messaging costs with Basic Ingest"):
/// AWS IoT hands such a message to that rule alone, as if it had come on <c>{topic}</c>, and no subscriber receives it.
/// There are no rules here, so the core's stand-in for one republishes the message on <c>{topic}</c>, where local
/// consumers (the demo's viewer, the tests' subscribers, a person's mosquitto_sub) read what the rule would read.
/// </summary>
public static class BasicIngest
{
    /// <summary>What every Basic Ingest topic starts with.</summary>
    public const string Prefix = "$aws/rules/";

    /// <summary>The subscription that takes every message sent to <paramref name="rule"/> through Basic Ingest.</summary>
    public static string Filter(string rule) => $"{Prefix}{rule}/#";

    /// <summary>Splits a Basic Ingest topic into its rule and the topic the rule sees; false for any other topic.</summary>
    public static bool TryParse(string topic, out string rule, out string ruleTopic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        (rule, ruleTopic) = ("", "");
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = topic.IndexOf('/', Prefix.Length);
        if (slash <= Prefix.Length || slash == topic.Length - 1)
        {
            return false;
        }

        (rule, ruleTopic) = (topic[Prefix.Length..slash], topic[(slash + 1)..]);
        return true;
    }
}
