namespace ShelfAgent.Cloud;

/// <summary>
/// MQTT topic filters of the device contract (docs/data-contract.md): dt/shelf/{storeId}/{thingName}/{kind}.
/// Levels: topic(1)=dt, topic(2)=shelf, topic(3)=store id, topic(4)=thing name, topic(5)=kind.
/// </summary>
public static class Topics
{
    /// <summary>Telemetry batches (shelf.telemetry.v1 or v2), QoS 1; devices send them through Basic Ingest (<see cref="OwnTelemetryBasicIngest"/>).</summary>
    public const string Telemetry = "dt/shelf/+/+/telemetry";

    /// <summary>Online flag and last will ({"online":false}).</summary>
    public const string Status = "dt/shelf/+/+/status";

    /// <summary>Pick and restock events (shelf.event.v1).</summary>
    public const string Events = "dt/shelf/+/+/events";

    /// <summary>Low, empty, sensor-fault and predicted-empty alerts (shelf.alert.v1).</summary>
    public const string Alerts = "dt/shelf/+/+/alerts";

    /// <summary>Per-slot forecasts (shelf.forecast.v1, CONTRACT-13), QoS 1, not retained.</summary>
    public const string Forecast = "dt/shelf/+/+/forecast";

    /// <summary>
    /// A device's own status topic in IoT policy variables: the agent publishes {"online":true} retained here,
    /// and its last will is retained too (iot:RetainPublish).
    /// </summary>
    public const string OwnStatus = "dt/shelf/${iot:Connection.Thing.Attributes[storeId]}/${iot:Connection.Thing.ThingName}/status";

    /// <summary>
    /// A device's own topic subtree in IoT policy variables: the store id comes from the thing's registry
    /// attribute, never from the device, so a certificate cannot publish into another store.
    /// </summary>
    public const string OwnSubtree = "dt/shelf/${iot:Connection.Thing.Attributes[storeId]}/${iot:Connection.Thing.ThingName}/*";

    /// <summary>
    /// A device's own telemetry topic in its Basic Ingest form, in IoT policy variables:
    /// <c>$aws/rules/{rule}/dt/shelf/{storeId attribute}/{thing}/telemetry</c>. The device publishes telemetry there (agent
    /// key <c>Publish:BasicIngestRule</c>): AWS IoT hands it to that rule alone, charges no messaging for it, and no
    /// subscriber receives it (developer guide, "Reducing messaging costs with Basic Ingest"; the policy needs
    /// iot:Publish on the $aws/rules/… topic). The rule's SQL and its topic(n) positions are those of <see cref="Telemetry"/>.
    /// </summary>
    public static string OwnTelemetryBasicIngest(string rule) =>
        $"{BasicIngestPrefix}{rule}/dt/shelf/${{iot:Connection.Thing.Attributes[storeId]}}/${{iot:Connection.Thing.ThingName}}/telemetry";

    /// <summary>What every Basic Ingest topic starts with; the rule name follows.</summary>
    public const string BasicIngestPrefix = "$aws/rules/";

    /// <summary>The purpose word of the telemetry rule: its name is <c>StageNaming.Rule(TelemetryRulePurpose)</c>, shelfagent_{stage}_telemetry.</summary>
    public const string TelemetryRulePurpose = "telemetry";

    /// <summary>The thing attribute that holds the store id (set by the provisioning template).</summary>
    public const string StoreAttribute = "storeId";
}
