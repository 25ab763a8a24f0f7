namespace ShelfAgent.Mqtt;

/// <summary>Quality of service levels (MQTT 3.1.1 §4.3). AWS IoT Core supports only 0 and 1.</summary>
public enum MqttQos : byte
{
    /// <summary>At most once: fire and forget (§4.3.1).</summary>
    AtMostOnce = 0,
    /// <summary>At least once: acknowledged by PUBACK, may be duplicated (§4.3.2).</summary>
    AtLeastOnce = 1,
    /// <summary>Exactly once (§4.3.3). Refused by this client: AWS IoT Core does not support it.</summary>
    ExactlyOnce = 2,
}
