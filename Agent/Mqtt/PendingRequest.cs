using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE waiting for its SUBACK/UNSUBACK; resent after a reconnect.</summary>
internal sealed class PendingRequest(MqttPacket packet)
    : TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public MqttPacket Packet { get; } = packet;

    /// <summary>True for the client's own re-subscriptions after a session was lost.</summary>
    public bool IsRestore { get; init; }
}
