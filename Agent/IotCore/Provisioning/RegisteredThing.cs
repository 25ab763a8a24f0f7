namespace ShelfAgent.IotCore.Provisioning;

/// <summary>What <c>$aws/provisioning-templates/NAME/provision/json/accepted</c> carries.</summary>
/// <param name="ThingName">The thing the certificate is now attached to: the device's client id from now on.</param>
/// <param name="DeviceConfiguration">The template's DeviceConfiguration (string values; others as raw JSON).</param>
public sealed record RegisteredThing(string ThingName, IReadOnlyDictionary<string, string> DeviceConfiguration);
