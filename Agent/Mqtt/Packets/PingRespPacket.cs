namespace ShelfAgent.Mqtt.Packets;

/// <summary>PINGRESP (MQTT 3.1.1 §3.13): a fixed header only. Use <see cref="Instance"/>.</summary>
public sealed record PingRespPacket : MqttPacket
{
    /// <summary>The one instance: the packet carries no data.</summary>
    public static readonly PingRespPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PingResp;
}
