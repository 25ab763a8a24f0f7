using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>The MQTT policy actions (developer guide "AWS IoT Core policy actions") and the resource each one names.</summary>
public static class IotActions
{
    public const string Connect = "iot:Connect";
    public const string Publish = "iot:Publish";
    public const string RetainPublish = "iot:RetainPublish";
    public const string Subscribe = "iot:Subscribe";
    public const string Receive = "iot:Receive";

    /// <summary>
    /// The (action, resource ARN) pairs an operation needs: CONNECT → iot:Connect on client/{id}; PUBLISH and a will →
    /// iot:Publish on topic/{t}, plus iot:RetainPublish on it when retained (developer guide "Retained messages");
    /// SUBSCRIBE → iot:Subscribe on topicfilter/{filter}; a delivery → iot:Receive on topic/{t}.
    /// </summary>
    public static IReadOnlyList<(string Action, string Resource)> Required(MqttOperation operation, string arnPrefix) => operation.Kind switch
    {
        MqttOperationKind.Connect => [(Connect, $"{arnPrefix}:client/{operation.ClientId}")],
        MqttOperationKind.Publish or MqttOperationKind.Will => operation.Retain
            ? [(Publish, $"{arnPrefix}:topic/{operation.Topic}"), (RetainPublish, $"{arnPrefix}:topic/{operation.Topic}")]
            : [(Publish, $"{arnPrefix}:topic/{operation.Topic}")],
        MqttOperationKind.Subscribe => [(Subscribe, $"{arnPrefix}:topicfilter/{operation.Topic}")],
        _ => [(Receive, $"{arnPrefix}:topic/{operation.Topic}")],
    };
}
