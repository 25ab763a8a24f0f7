namespace ShelfAgent.IotCore;

/// <summary>Who to connect as: a certificate and key (PEM files) and the MQTT client id.</summary>
/// <param name="CertFile">Certificate PEM.</param>
/// <param name="KeyFile">Private key PEM.</param>
/// <param name="ClientId">MQTT client id (the thing name for a device identity: AWS IoT policies use iot:Connection.Thing.ThingName).</param>
public sealed record IotIdentity(string CertFile, string KeyFile, string ClientId);
