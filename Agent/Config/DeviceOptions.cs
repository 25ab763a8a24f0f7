namespace ShelfAgent.Config;

/// <summary><c>Device</c>: who this agent is.</summary>
public sealed class DeviceOptions
{
    /// <summary><c>Device:ThingName</c>: the AWS IoT thing name; also the MQTT client id and the device certificate's CN.</summary>
    public string ThingName { get; set; } = "";

    /// <summary><c>Device:StoreId</c>: the store this device sits in; the third topic segment.</summary>
    public string StoreId { get; set; } = "";
}
