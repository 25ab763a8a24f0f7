namespace ShelfAgent.Mqtt.Packets;

/// <summary>SUBSCRIBE (MQTT 3.1.1 §3.8). At least one filter (§3.8.3-3).</summary>
/// <param name="PacketId">Packet identifier, non-zero.</param>
/// <param name="Filters">Topic filters with requested QoS.</param>
public sealed record SubscribePacket(ushort PacketId, IReadOnlyList<MqttTopicFilter> Filters) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Subscribe;
}
