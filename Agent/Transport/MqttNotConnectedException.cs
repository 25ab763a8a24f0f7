namespace ShelfAgent.Transport;

/// <summary>
/// A publish or subscribe could not complete because the connection ended first (or the transport stopped). MQTTnet
/// does not resend unacknowledged publishes after a reconnect, so the caller still owns the message: the publisher
/// puts its batch back in the outbox and it goes out on the next connection.
/// </summary>
public sealed class MqttNotConnectedException : MqttException
{
    /// <summary>Creates the exception.</summary>
    public MqttNotConnectedException()
        : base("The MQTT connection ended before the broker acknowledged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MqttNotConnectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MqttNotConnectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
