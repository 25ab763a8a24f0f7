namespace ShelfAgent.Mqtt.Packets;

/// <summary>PUBLISH (MQTT 3.1.1 §3.3).</summary>
/// <param name="Topic">Topic name, no wildcards (§3.3.2.1).</param>
/// <param name="Payload">Application message (§3.3.3).</param>
/// <param name="Qos">QoS (§3.3.1.2).</param>
/// <param name="Retain">Retain flag (§3.3.1.3).</param>
/// <param name="Dup">Duplicate delivery flag (§3.3.1.1); only with QoS &gt; 0.</param>
/// <param name="PacketId">Packet identifier, present only when QoS &gt; 0 (§3.3.2.2).</param>
public sealed record PublishPacket(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    MqttQos Qos = MqttQos.AtMostOnce,
    bool Retain = false,
    bool Dup = false,
    ushort PacketId = 0) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Publish;
}
