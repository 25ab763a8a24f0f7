namespace ShelfAgent.Mqtt.Packets;

/// <summary>PINGREQ (MQTT 3.1.1 §3.12): a fixed header only. Use <see cref="Instance"/>.</summary>
public sealed record PingReqPacket : MqttPacket
{
    /// <summary>The one instance: the packet carries no data.</summary>
    public static readonly PingReqPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.PingReq;
}
