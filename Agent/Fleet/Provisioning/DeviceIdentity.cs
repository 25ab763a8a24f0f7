namespace ShelfAgent.Fleet.Provisioning;

/// <summary>The identity keys of agent.json; null where absent.</summary>
/// <param name="ThingName"><c>Device:ThingName</c>.</param>
/// <param name="CertFile"><c>Mqtt:CertFile</c>.</param>
/// <param name="KeyFile"><c>Mqtt:KeyFile</c>.</param>
public sealed record DeviceIdentity(string? ThingName, string? CertFile, string? KeyFile);
