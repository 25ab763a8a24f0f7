namespace ShelfAgent.Transport;

/// <summary>A network failure (DNS, TCP, timeouts, connection closed), translated from socket/IO exceptions with a hint.</summary>
public sealed class MqttTransportException : MqttException
{
    /// <summary>Creates the exception.</summary>
    public MqttTransportException(MqttTransportFailure failure, string message, string? hint, Exception? innerException = null)
        : base(message, hint, innerException)
    {
        Failure = failure;
    }

    /// <summary>What kind of failure it was.</summary>
    public MqttTransportFailure Failure { get; }
}
