namespace ShelfAgent.Transport;

/// <summary>Raised after CONNACK accepted the connection and the session was restored.</summary>
/// <param name="sessionPresent">The broker still had our session (§3.2.2.2).</param>
public sealed class MqttConnectedEventArgs(bool sessionPresent) : EventArgs
{
    /// <summary>The broker still had our session: subscriptions kept, unacknowledged publishes resent with DUP.</summary>
    public bool SessionPresent { get; } = sessionPresent;
}
