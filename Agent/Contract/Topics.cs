namespace ShelfAgent.Contract;

/// <summary>
/// The device's MQTT topics, following AWS's "Designing MQTT Topics for AWS IoT Core":
/// <c>dt/&lt;app&gt;/&lt;context&gt;/&lt;thing&gt;/&lt;type&gt;</c>, the thing name in the topic so the IoT policy
/// can pin each device to its own topics. These names are a contract with the cloud side.
/// </summary>
public sealed record Topics(string StoreId, string ThingName)
{
    private const string App = "dt/shelf/";

    /// <summary>Batches of readings (<c>shelf.telemetry.v1</c> or <c>v2</c>), QoS 1; published through <see cref="TelemetryVia"/>.</summary>
    public string Telemetry => Of(TopicKind.Telemetry);

    /// <summary>Online/offline; the last will registers <c>{"online":false}</c> here.</summary>
    public string Status => Of(TopicKind.Status);

    /// <summary>Picks and restocks detected at the edge.</summary>
    public string Events => Of(TopicKind.Events);

    /// <summary>Low stock, empty slot, predicted stock-out, sensor fault.</summary>
    public string Alerts => Of(TopicKind.Alerts);

    /// <summary>Every slot's count, rate and expected empty time (<c>shelf.forecast.v1</c>), QoS 1, not retained.</summary>
    public string Forecast => Of(TopicKind.Forecast);

    /// <summary>
    /// <c>shelf-agent doctor</c>'s round trip: it subscribes here and publishes one non-retained message that must come
    /// back, proving iot:Publish, iot:Subscribe and iot:Receive on the device's own subtree. No cloud rule reads it.
    /// </summary>
    public string Doctor => Of(TopicKind.Doctor);

    /// <summary>
    /// The telemetry topic to publish to: <see cref="Telemetry"/>, or with a rule name its Basic Ingest form
    /// <c>$aws/rules/{rule}/dt/shelf/{store}/{thing}/telemetry</c>: AWS IoT hands the message to that rule only, without a
    /// messaging charge, and no subscriber receives it (developer guide, "Reducing messaging costs with Basic Ingest").
    /// </summary>
    /// <param name="rule">The AWS IoT rule (<c>Publish:BasicIngestRule</c>); null or empty for the plain topic.</param>
    public string TelemetryVia(string? rule) => string.IsNullOrEmpty(rule) ? Telemetry : BasicIngest(rule, Telemetry);

    /// <summary>The Basic Ingest form of <paramref name="topic"/> for <paramref name="rule"/>: <c>$aws/rules/{rule}/{topic}</c>.</summary>
    public static string BasicIngest(string rule, string topic) => $"{BasicIngestPrefix}{rule}/{topic}";

    /// <summary>What every Basic Ingest topic starts with; the rule name and a slash follow.</summary>
    public const string BasicIngestPrefix = "$aws/rules/";

    /// <summary>This device's topic of <paramref name="kind"/>.</summary>
    public string Of(TopicKind kind) => $"{App}{StoreId}/{ThingName}/{Word(kind)}";

    /// <summary>The last word of a topic of <paramref name="kind"/>: "telemetry", "events" …</summary>
    public static string Word(TopicKind kind) => kind switch
    {
        TopicKind.Telemetry => "telemetry",
        TopicKind.Status => "status",
        TopicKind.Events => "events",
        TopicKind.Alerts => "alerts",
        TopicKind.Forecast => "forecast",
        TopicKind.Doctor => "doctor",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Reads a device topic <c>dt/shelf/{store}/{thing}/{kind}</c> back into its parts (what a viewer of many devices
    /// needs); false for any other topic, or a last word that is not a <see cref="TopicKind"/>.
    /// </summary>
    public static bool TryParse(string topic, out Topics device, out TopicKind kind)
    {
        ArgumentNullException.ThrowIfNull(topic);
        (device, kind) = (new Topics("", ""), default);
        var parts = topic.Split('/');
        if (parts.Length != 5 || !topic.StartsWith(App, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var k in Enum.GetValues<TopicKind>())
        {
            if (parts[4] == Word(k))
            {
                (device, kind) = (new Topics(parts[2], parts[3]), k);
                return true;
            }
        }

        return false;
    }

    /// <summary>The topic of a first-lane outbox item by its kind.</summary>
    public string ForEventKind(Outbox.OutboxEventKind kind) => kind switch
    {
        Outbox.OutboxEventKind.Events => Events,
        Outbox.OutboxEventKind.Alerts => Alerts,
        Outbox.OutboxEventKind.Forecast => Forecast,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
