namespace ShelfAgent.Mqtt.Packets;

/// <summary>CONNECT (MQTT 3.1.1 §3.1). Protocol name "MQTT", level 4 are implied.</summary>
/// <param name="ClientId">Client identifier (§3.1.3.1); AWS IoT wants the thing name.</param>
/// <param name="CleanSession">Clean session flag (§3.1.2.4).</param>
/// <param name="KeepAliveSeconds">Keep alive in seconds, 0 = off (§3.1.2.10).</param>
/// <param name="Will">Optional will message (§3.1.2.5).</param>
/// <param name="Username">Optional user name (§3.1.2.8).</param>
/// <param name="Password">Optional password, binary data (§3.1.2.9); requires a user name.</param>
public sealed record ConnectPacket(
    string ClientId,
    bool CleanSession,
    ushort KeepAliveSeconds,
    MqttWill? Will = null,
    string? Username = null,
    ReadOnlyMemory<byte>? Password = null) : MqttPacket
{
    /// <inheritdoc />
    public override MqttPacketType Type => MqttPacketType.Connect;
}
