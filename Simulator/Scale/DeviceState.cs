namespace ShelfAgent.Simulator.Scale;

/// <summary>Where one virtual device's connection stands, as the dashboard counts them.</summary>
public enum DeviceState
{
    /// <summary>Built, not started yet.</summary>
    Idle = 0,

    /// <summary>Waiting for its turn in the connect rate, or in TCP/TLS/CONNECT.</summary>
    Connecting = 1,

    /// <summary>CONNACK received; publishing.</summary>
    Connected = 2,

    /// <summary>A connect failed or the connection ended: waiting out the jittered backoff.</summary>
    BackingOff = 3,
}
