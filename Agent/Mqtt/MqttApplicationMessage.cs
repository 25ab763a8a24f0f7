namespace ShelfAgent.Mqtt;

/// <summary>A message delivered to a subscription handler.</summary>
/// <param name="Topic">The topic it was published to.</param>
/// <param name="Payload">The payload (owned by the receiver).</param>
/// <param name="Qos">The QoS it was delivered with.</param>
/// <param name="Retain">True when it is a retained message sent because we subscribed (§3.3.1.3).</param>
/// <param name="Dup">True when the broker says it may have been delivered before (§3.3.1.1).</param>
public sealed record MqttApplicationMessage(string Topic, ReadOnlyMemory<byte> Payload, MqttQos Qos, bool Retain, bool Dup);
