namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// Ignores stale desired state: a delta or get reply whose document version is not newer than the last one acted on
/// (AWS IoT Developer Guide, "Device Shadow service documents": versions only grow; messages can arrive out of order,
/// e.g. a delta queued for a persistent session behind a newer <c>get</c>). Pure; not thread-safe (one loop uses it).
/// </summary>
public sealed class ShadowVersionGate
{
    /// <summary>The newest version acted on; null before the first.</summary>
    public long? Last { get; private set; }

    /// <summary>True (and remembered) when <paramref name="version"/> is newer than every version seen; false for a stale or repeated one.</summary>
    public bool TryAdvance(long version)
    {
        if (Last is { } last && version <= last)
        {
            return false;
        }

        Last = version;
        return true;
    }
}
