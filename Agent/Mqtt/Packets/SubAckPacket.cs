namespace ShelfAgent.Mqtt.Packets;

/// <summary>SUBACK (MQTT 3.1.1 §3.9).</summary>
/// <param name="PacketId">Identifier of the SUBSCRIBE being acknowledged.</param>
/// <param name="ReturnCodes">One per filter, in order: 0x00, 0x01, 0x02 granted QoS, 0x80 failure (§3.9.3).</param>
public sealed record SubAckPacket(ushort PacketId, IReadOnlyList<byte> ReturnCodes) : MqttPacket
{
    /// <summary>The SUBACK return code meaning the subscription failed (§3.9.3).</summary>
    public const byte Failure = 0x80;

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.SubAck;
}
