namespace ShelfAgent.Mqtt.Packets;

/// <summary>UNSUBACK (MQTT 3.1.1 §3.11).</summary>
/// <param name="PacketId">Identifier of the UNSUBSCRIBE being acknowledged.</param>
public sealed record UnsubAckPacket(ushort PacketId) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
