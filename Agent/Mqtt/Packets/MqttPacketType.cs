namespace ShelfAgent.Mqtt.Packets;

/// <summary>Control packet types, the high nibble of the fixed header (MQTT 3.1.1 §2.2.1).</summary>
public enum MqttPacketType : byte
{
    /// <summary>Client request to connect (§3.1).</summary>
    Connect = 1,
    /// <summary>Connect acknowledgment (§3.2).</summary>
    ConnAck = 2,
    /// <summary>Publish message (§3.3).</summary>
    Publish = 3,
    /// <summary>Publish acknowledgment, QoS 1 (§3.4).</summary>
    PubAck = 4,
    /// <summary>Publish received, QoS 2 part 1 (§3.5); not supported by this client.</summary>
    PubRec = 5,
    /// <summary>Publish release, QoS 2 part 2 (§3.6); not supported by this client.</summary>
    PubRel = 6,
    /// <summary>Publish complete, QoS 2 part 3 (§3.7); not supported by this client.</summary>
    PubComp = 7,
    /// <summary>Subscribe request (§3.8).</summary>
    Subscribe = 8,
    /// <summary>Subscribe acknowledgment (§3.9).</summary>
    SubAck = 9,
    /// <summary>Unsubscribe request (§3.10).</summary>
    Unsubscribe = 10,
    /// <summary>Unsubscribe acknowledgment (§3.11).</summary>
    UnsubAck = 11,
    /// <summary>Ping request (§3.12).</summary>
    PingReq = 12,
    /// <summary>Ping response (§3.13).</summary>
    PingResp = 13,
    /// <summary>Client is disconnecting (§3.14).</summary>
    Disconnect = 14,
}
