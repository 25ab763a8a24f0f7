namespace ShelfAgent.Mqtt.Packets;

/// <summary>UNSUBSCRIBE (MQTT 3.1.1 §3.10). At least one filter (§3.10.3-2).</summary>
/// <param name="PacketId">Packet identifier, non-zero.</param>
/// <param name="Filters">Topic filters to remove.</param>
public sealed record UnsubscribePacket(ushort PacketId, IReadOnlyList<string> Filters) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
}
