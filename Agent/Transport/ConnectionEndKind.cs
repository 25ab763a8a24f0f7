namespace ShelfAgent.Transport;

/// <summary>How an established connection ended, as far as the transport's log and its supervisor care.</summary>
internal enum ConnectionEndKind
{
    /// <summary>Our own orderly stop (DISCONNECT 0x00).</summary>
    Orderly,
    /// <summary>The network or our side ended it (reset, keep-alive timeout, I/O error).</summary>
    Lost,
    /// <summary>The broker closed the connection without saying why (end of stream or reset, no DISCONNECT).</summary>
    ClosedByBroker,
    /// <summary>The broker sent DISCONNECT with a reason code (MQTT 5 §3.14.2.1).</summary>
    DisconnectedByBroker,
    /// <summary>The broker sent bytes that are not valid MQTT.</summary>
    ProtocolViolation,
}
