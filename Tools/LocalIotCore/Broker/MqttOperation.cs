namespace ShelfAgent.LocalIot.Broker;

/// <summary>
/// One MQTT operation of one client as the broker saw it. <see cref="Username"/> is the certificate's CN
/// (use_identity_as_username); <see cref="Topic"/> is the topic, or the filter for a subscribe.
/// <see cref="Denied"/> is set when mosquitto refused the publish.
/// </summary>
public sealed record MqttOperation(MqttOperationKind Kind, string ClientId, string? Username, string Topic, bool Retain = false, bool Denied = false)
{
    public override string ToString() =>
        $"{Kind} {ClientId}{(Username is null ? "" : $" (u {Username})")}{(Topic.Length == 0 ? "" : " " + Topic)}" +
        $"{(Retain ? " retained" : "")}{(Denied ? " DENIED by broker" : "")}";
}
