namespace ShelfAgent.Mqtt.Packets;

/// <summary>One topic filter and its requested QoS in a SUBSCRIBE payload (MQTT 3.1.1 §3.8.3).</summary>
/// <param name="Filter">Topic filter, may hold + and # wildcards (§4.7.1).</param>
/// <param name="Qos">Requested maximum QoS.</param>
public sealed record MqttTopicFilter(string Filter, MqttQos Qos);
