namespace ShelfAgent.LocalIot.Broker;

/// <summary>What a client did, in the terms of the IoT policy actions it needs (developer guide "AWS IoT Core policy actions").</summary>
public enum MqttOperationKind
{
    /// <summary>CONNECT with a client id (iot:Connect on client/{id}).</summary>
    Connect,

    /// <summary>A will set in CONNECT (iot:Publish, and iot:RetainPublish when retained, on its topic).</summary>
    Will,

    /// <summary>PUBLISH from the client (iot:Publish; iot:RetainPublish when retained).</summary>
    Publish,

    /// <summary>A SUBSCRIBE filter (iot:Subscribe on topicfilter/{filter}).</summary>
    Subscribe,

    /// <summary>A message the broker sent to the client (iot:Receive on topic/{topic}).</summary>
    Receive,
}
