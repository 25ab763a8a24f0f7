namespace ShelfAgent.Mqtt.Packets;

/// <summary>PUBACK (MQTT 3.1.1 §3.4): acknowledges a QoS 1 PUBLISH.</summary>
/// <param name="PacketId">Identifier of the PUBLISH being acknowledged.</param>
public sealed record PubAckPacket(ushort PacketId) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PubAck;
}
