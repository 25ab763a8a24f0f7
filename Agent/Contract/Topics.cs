namespace ShelfAgent.Contract;

/// <summary>
/// The device's MQTT topics, following AWS's "Designing MQTT Topics for AWS IoT Core":
/// <c>dt/&lt;app&gt;/&lt;context&gt;/&lt;thing&gt;/&lt;type&gt;</c>, the thing name in the topic so the IoT policy
/// can pin each device to its own topics. These names are a contract with the cloud side.
/// </summary>
public sealed record Topics(string StoreId, string ThingName)
{
    private string Prefix => $"dt/shelf/{StoreId}/{ThingName}";

    /// <summary>Batches of readings (<c>shelf.telemetry.v1</c>), QoS 1.</summary>
    public string Telemetry => $"{Prefix}/telemetry";

    /// <summary>Online/offline; the last will registers <c>{"online":false}</c> here.</summary>
    public string Status => $"{Prefix}/status";

    /// <summary>Picks and restocks detected at the edge.</summary>
    public string Events => $"{Prefix}/events";

    /// <summary>Low stock, empty slot, predicted stock-out, sensor fault.</summary>
    public string Alerts => $"{Prefix}/alerts";

    /// <summary>Every slot's count, rate and expected empty time (<c>shelf.forecast.v1</c>), QoS 1, not retained.</summary>
    public string Forecast => $"{Prefix}/forecast";

    /// <summary>
    /// <c>shelf-agent doctor</c>'s round trip: it subscribes here and publishes one non-retained message that must come
    /// back, proving iot:Publish, iot:Subscribe and iot:Receive on the device's own subtree. No cloud rule reads it.
    /// </summary>
    public string Doctor => $"{Prefix}/doctor";

    /// <summary>The topic of a first-lane outbox item by its kind.</summary>
    public string ForEventKind(Outbox.OutboxEventKind kind) => kind switch
    {
        Outbox.OutboxEventKind.Events => Events,
        Outbox.OutboxEventKind.Alerts => Alerts,
        Outbox.OutboxEventKind.Forecast => Forecast,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
