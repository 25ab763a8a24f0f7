namespace ShelfAgent.Transport;

/// <summary>
/// For one connection: the QoS 1 publishes that went out without their PUBACK yet, which of them go to topics the broker
/// refused before, and the last refusal on it — what most likely explains the broker closing the connection
/// (<see cref="MqttExceptionTranslator.ConnectionEnded"/>). A publish whose connection ends stays noted: that it never
/// had its PUBACK is the point. Thread-safe.
/// </summary>
internal sealed class PubAckTrail
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, (int Code, int Count)> _awaitingAfterRefusal = new(StringComparer.Ordinal);
    private RefusalAtClose? _refusedHere;
    private int _awaiting;

    /// <summary>QoS 1 publishes that went out and have not had their PUBACK.</summary>
    public int Awaiting => Volatile.Read(ref _awaiting);

    /// <summary>
    /// A QoS 1 publish to <paramref name="topic"/> goes out now; <paramref name="refusedWith"/> is the code the broker
    /// refused that topic with before, if it did.
    /// </summary>
    public void Sending(string topic, int? refusedWith)
    {
        Interlocked.Increment(ref _awaiting);
        if (refusedWith is { } code)
        {
            lock (_sync)
            {
                _awaitingAfterRefusal[topic] = (code, _awaitingAfterRefusal.TryGetValue(topic, out var a) ? a.Count + 1 : 1);
            }
        }
    }

    /// <summary>A publish noted by <see cref="Sending"/> got its PUBACK (either way); the same <paramref name="refusedWith"/>.</summary>
    public void Answered(string topic, int? refusedWith)
    {
        Interlocked.Decrement(ref _awaiting);
        if (refusedWith is null)
        {
            return;
        }

        lock (_sync)
        {
            if (_awaitingAfterRefusal.TryGetValue(topic, out var a))
            {
                if (a.Count > 1)
                {
                    _awaitingAfterRefusal[topic] = (a.Code, a.Count - 1);
                }
                else
                {
                    _awaitingAfterRefusal.Remove(topic);
                }
            }
        }
    }

    /// <summary>The broker refused a publish to <paramref name="topic"/> (PUBACK ≥ 0x80); note it before <see cref="Answered"/>.</summary>
    public void Refused(string topic, int code)
    {
        lock (_sync)
        {
            _refusedHere = new RefusalAtClose(topic, code, Unanswered: false);
        }
    }

    /// <summary>
    /// The refusal that most likely explains a close by the broker: a publish to a refused topic still unanswered
    /// (a publish whose connection ended keeps its note), else the last refusal on this connection; null for none.
    /// </summary>
    public RefusalAtClose? RefusalAtClose()
    {
        lock (_sync)
        {
            foreach (var (topic, awaiting) in _awaitingAfterRefusal)
            {
                return new RefusalAtClose(topic, awaiting.Code, Unanswered: true);
            }

            return _refusedHere;
        }
    }
}
