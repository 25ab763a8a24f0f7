namespace ShelfAgent.Mqtt;

/// <summary>A topic filter, its QoS and the handler its messages go to.</summary>
internal sealed record Subscription(string Filter, MqttQos Qos, Func<MqttApplicationMessage, ValueTask> Handler);
