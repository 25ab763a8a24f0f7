namespace ShelfAgent.Transport;

/// <summary>
/// Recognises another client taking over our session where the broker does not say so. MQTT 5 has DISCONNECT 0x8E
/// (session taken over) for it, but mosquitto 2.0.11 closes the connection without it, and with MQTT 3.1.1 no broker
/// can say it (AWS IoT Core closes the older connection). Two devices or two agents with the same thing name then
/// knock each other off over and over, each connection ended by the broker soon after it began. This counts such
/// connections in a row — closed by the broker without a reason and not explained by a publish refusal, before they
/// stayed up <c>stableAfter</c> — and says when to warn: at the third, then at every tenth after. Pure.
/// </summary>
internal sealed class TakeoverSuspicion(TimeSpan stableAfter)
{
    /// <summary>Connections in a row that make the first warning.</summary>
    public const int Threshold = 3;

    private int _streak;

    /// <summary>Records how one connection ended; returns the length of the streak when it is time to warn, else 0.</summary>
    public int Record(ConnectionEnd? end, TimeSpan stayedUp)
    {
        if (end is not { Kind: ConnectionEndKind.ClosedByBroker, Refusal: null } || stayedUp >= stableAfter)
        {
            _streak = 0;
            return 0;
        }

        _streak++;
        return _streak == Threshold || (_streak > Threshold && (_streak - Threshold) % 10 == 0) ? _streak : 0;
    }
}
