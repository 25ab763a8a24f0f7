using ShelfAgent.Transport.Wire;

namespace ShelfAgent.Transport;

/// <summary>
/// What the transport knows about one live connection: the in-flight window the broker allows, the packet ids in
/// use, the topic aliases it has set up, whether its subscriptions are in place, what awaits a PUBACK, and the channel
/// that meters it. Ends with the connection; the next one starts fresh, as MQTTnet does (ids from 1, no aliases).
/// </summary>
internal sealed class ConnectionState : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly TaskCompletionSource _endedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _restored = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool[] _aliasKnown;

    public ConnectionState(
        int window, bool sessionPresent, int topicAliases, MeteredChannel? channel, DateTimeOffset since, bool subscriptionIdentifiers = false)
    {
        SubscriptionIdentifiers = subscriptionIdentifiers;
        WindowSize = window;
        Window = new SemaphoreSlim(window, window);
        SessionPresent = sessionPresent;
        _aliasKnown = new bool[topicAliases + 1];
        Channel = channel;
        Since = since;
    }

    /// <summary>min(Mqtt:MaxInFlight, the broker's Receive Maximum): QoS 1 publishes awaiting PUBACK at once.</summary>
    public int WindowSize { get; }

    /// <summary>Slots of the in-flight window.</summary>
    public SemaphoreSlim Window { get; }

    /// <summary>The broker kept our session (CONNACK Session Present).</summary>
    public bool SessionPresent { get; }

    /// <summary>Packet ids in use on this connection (guarded by the transport's id lock).</summary>
    public PacketIdMirror Ids { get; } = new();

    /// <summary>Topic aliases the broker allows us (MQTT 5 Topic Alias Maximum), capped by our aliased topics.</summary>
    public int TopicAliases => _aliasKnown.Length - 1;

    /// <summary>The broker takes MQTT 5 subscription identifiers (CONNACK, §3.2.2.3.12).</summary>
    public bool SubscriptionIdentifiers { get; }

    /// <summary>The metered channel under this connection.</summary>
    public MeteredChannel? Channel { get; }

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>Cancelled when the connection ends: whoever waits for its window or its turn gives up.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Completes when the connection has ended.</summary>
    public Task EndedTask => _endedSignal.Task;

    /// <summary>
    /// Completes once every subscription the transport holds is in place on this connection: at once when the broker kept
    /// the session, else when the restored SUBSCRIBEs have been acknowledged. Never completes if the connection ends first.
    /// </summary>
    public Task SubscriptionsRestored => _restored.Task;

    /// <summary>Records that the subscriptions are in place (once).</summary>
    public void MarkSubscriptionsRestored() => _restored.TrySetResult();

    /// <summary>Whether the broker has acknowledged a publish that set up <paramref name="alias"/> (then the topic can be left out).</summary>
    public bool AliasKnown(int alias) => Volatile.Read(ref _aliasKnown[alias]);

    /// <summary>Records that the broker has the mapping for <paramref name="alias"/>.</summary>
    public void MarkAliasKnown(int alias) => Volatile.Write(ref _aliasKnown[alias], true);

    /// <summary>Why the connection ended, set before it is marked ended (null for an end nobody explained).</summary>
    public ConnectionEnd? EndedBy { get; set; }

    /// <summary>What went out on this connection without a PUBACK, and the refusals seen on it: what explains a close.</summary>
    public PubAckTrail PubAcks { get; } = new();

    /// <summary>Marks the connection as ended (once).</summary>
    public void End()
    {
        if (_endedSignal.TrySetResult())
        {
            _ended.Cancel();
        }
    }

    public void Dispose()
    {
        End();
        _ended.Dispose();
        Window.Dispose();
    }
}
