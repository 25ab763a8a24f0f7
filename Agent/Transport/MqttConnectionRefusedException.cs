namespace ShelfAgent.Transport;

/// <summary>
/// The broker answered CONNECT with a CONNACK refusing the connection (MQTT 5 §3.2.2.2; MQTT 3.1.1 §3.2.2.3 return
/// codes arrive mapped onto the MQTT 5 reason codes).
/// </summary>
public sealed class MqttConnectionRefusedException : MqttException
{
    /// <summary>Creates the exception for a CONNACK reason code and the broker's optional reason string.</summary>
    public MqttConnectionRefusedException(int reasonCode, string? reasonString = null)
        : base(
            $"The broker refused the connection: {ReasonCodes.Describe(reasonCode)}{(string.IsNullOrEmpty(reasonString) ? "" : $": {reasonString}")}.",
            ReasonCodes.Hint(reasonCode))
    {
        ReasonCode = reasonCode;
    }

    /// <summary>The CONNACK reason code.</summary>
    public int ReasonCode { get; }
}
