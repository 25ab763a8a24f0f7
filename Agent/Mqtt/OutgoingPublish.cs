using ShelfAgent.Mqtt.Packets;

namespace ShelfAgent.Mqtt;

/// <summary>A QoS 1 publish waiting for its PUBACK; kept across reconnects until acknowledged (§4.4).</summary>
internal sealed class OutgoingPublish(PublishPacket packet)
    : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public PublishPacket Packet { get; set; } = packet;

    /// <summary>True once handed to a connection: a resend then carries DUP when the session survived (§3.3.1.1).</summary>
    public bool Sent { get; set; }

    /// <summary>Its node in the client's send-ordered in-flight list.</summary>
    public LinkedListNode<OutgoingPublish>? Node { get; set; }
}
