namespace ShelfAgent.Mqtt;

/// <summary>
/// The peer sent bytes that are not valid MQTT 3.1.1 (a "malformed packet" or protocol violation, §4.8).
/// The only exception the decoder throws; the client answers it by closing the connection (§4.8).
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
