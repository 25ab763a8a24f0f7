namespace ShelfAgent.Transport;

/// <summary>
/// The broker sent bytes that are not valid MQTT (a malformed packet or protocol violation, MQTT 5 §4.13, 3.1.1 §4.8).
/// Raised by the incoming frame guard; the connection is closed, never the process.
/// </summary>
public sealed class MqttProtocolException : MqttException
{
    /// <summary>Creates the exception.</summary>
    public MqttProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public MqttProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public MqttProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
