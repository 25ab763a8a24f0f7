namespace ShelfAgent.IotCore;

/// <summary>Opens connections with a given identity to the configured endpoint (the composition root decides which broker).</summary>
public interface IIotConnector
{
    /// <summary>
    /// Connects once (no retry). Throws the transport's typed exceptions (<see cref="ShelfAgent.Transport.MqttException"/> and its
    /// subclasses) when refused or unreachable.
    /// </summary>
    Task<IIotConnection> ConnectAsync(IotIdentity identity, CancellationToken cancellationToken);
}
