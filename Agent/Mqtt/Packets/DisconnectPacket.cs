namespace ShelfAgent.Mqtt.Packets;

/// <summary>DISCONNECT (MQTT 3.1.1 §3.14): a fixed header only. Use <see cref="Instance"/>.</summary>
public sealed record DisconnectPacket : MqttPacket
{
    /// <summary>The one instance: the packet carries no data.</summary>
    public static readonly DisconnectPacket Instance = new();

    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}
