namespace ShelfAgent.Transport;

/// <summary>Raised when a connection ended.</summary>
/// <param name="reason">Why, or null for an orderly <see cref="MqttTransport.StopAsync"/>.</param>
public sealed class MqttDisconnectedEventArgs(Exception? reason) : EventArgs
{
    /// <summary>Why the connection ended, or null for an orderly stop.</summary>
    public Exception? Reason { get; } = reason;
}
