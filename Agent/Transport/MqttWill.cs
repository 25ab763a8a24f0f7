using MQTTnet.Protocol;

namespace ShelfAgent.Transport;

/// <summary>
/// The will ("last will and testament", MQTT 3.1.1 §3.1.2.5): the broker publishes it when the connection is
/// lost without a DISCONNECT. The agent registers <c>{"online":false}</c> on its status topic.
/// </summary>
/// <param name="Topic">Will topic (§3.1.3.2).</param>
/// <param name="Payload">Will message (§3.1.3.3).</param>
/// <param name="Qos">Will QoS (§3.1.2.6), 0 or 1.</param>
/// <param name="Retain">Will retain (§3.1.2.7). AWS IoT Core supports retained messages.</param>
public sealed record MqttWill(
    string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfServiceLevel Qos = MqttQualityOfServiceLevel.AtLeastOnce, bool Retain = false);
