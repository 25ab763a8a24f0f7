namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// The store and thing of a device topic, <c>dt/shelf/{store}/{thing}/{kind}</c> (Cloud/Topics.cs; the IoT rules' topic(3)
/// and topic(4)). Pure.
/// </summary>
public static class TopicIdentity
{
    /// <summary>Store and thing of <paramref name="topic"/>; false for a topic of another shape.</summary>
    public static bool TryParse(string topic, out string store, out string thing)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var levels = topic.Split('/');
        (store, thing) = levels is ["dt", "shelf", { Length: > 0 } s, { Length: > 0 } t, { Length: > 0 }] ? (s, t) : ("", "");
        return store.Length > 0;
    }
}
