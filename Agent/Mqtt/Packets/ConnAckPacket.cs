namespace ShelfAgent.Mqtt.Packets;

/// <summary>CONNACK (MQTT 3.1.1 §3.2).</summary>
/// <param name="SessionPresent">The broker kept a session for this client id (§3.2.2.2).</param>
/// <param name="ReturnCode">Connect return code (§3.2.2.3).</param>
public sealed record ConnAckPacket(bool SessionPresent, ConnectReturnCode ReturnCode) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.ConnAck;
}
