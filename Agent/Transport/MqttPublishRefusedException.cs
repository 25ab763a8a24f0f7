namespace ShelfAgent.Transport;

/// <summary>
/// An MQTT 5 broker acknowledged a publish with a failure reason code (PUBACK ≥ 0x80, MQTT 5 §3.4.2.1), e.g.
/// 0x87 not authorized or 0x97 quota exceeded. The message was not accepted: the caller keeps it.
/// </summary>
public sealed class MqttPublishRefusedException : MqttException
{
    /// <summary>Creates the exception.</summary>
    public MqttPublishRefusedException(string topic, int reasonCode, string? reasonString)
        : base(
            $"The broker refused a publish to {topic}: {ReasonCodes.Describe(reasonCode)}{(string.IsNullOrEmpty(reasonString) ? "" : $": {reasonString}")}.",
            ReasonCodes.Hint(reasonCode))
    {
        Topic = topic;
        ReasonCode = reasonCode;
    }

    /// <summary>The topic of the refused publish.</summary>
    public string Topic { get; }

    /// <summary>The PUBACK reason code.</summary>
    public int ReasonCode { get; }
}
