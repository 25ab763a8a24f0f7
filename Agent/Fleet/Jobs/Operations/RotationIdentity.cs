namespace ShelfAgent.Fleet.Jobs.Operations;

/// <summary>Who the device is now, for a rotation: values from the options, so Fleet does not read Config.</summary>
/// <param name="ThingName">Device:ThingName.</param>
/// <param name="ConfigFile">agent.json (switched after the new certificate connected).</param>
/// <param name="CertFile">Mqtt:CertFile in use.</param>
/// <param name="KeyFile">Mqtt:KeyFile in use.</param>
public sealed record RotationIdentity(string ThingName, string ConfigFile, string CertFile, string KeyFile);
