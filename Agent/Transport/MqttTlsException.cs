namespace ShelfAgent.Transport;

/// <summary>A TLS failure (handshake, certificates, keys), translated in one place with a hint for the operator.</summary>
public sealed class MqttTlsException : MqttException
{
    /// <summary>Creates the exception.</summary>
    public MqttTlsException(MqttTlsFailure failure, string message, string? hint, Exception? innerException = null)
        : base(message, hint, innerException)
    {
        Failure = failure;
    }

    /// <summary>What kind of TLS failure it was.</summary>
    public MqttTlsFailure Failure { get; }
}
