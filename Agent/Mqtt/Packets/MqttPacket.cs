namespace ShelfAgent.Mqtt.Packets;

/// <summary>Base of every MQTT 3.1.1 control packet: plain data, no behaviour (encoding lives in Formatter/).</summary>
public abstract record MqttPacket
{
    /// <summary>The packet type written in the fixed header.</summary>
    public abstract MqttPacketType Type { get; }
}
