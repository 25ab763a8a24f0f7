using ShelfAgent.LocalIot;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// A device folder before provisioning (<see cref="IntegrationEnvironment.ClaimDeviceAsync"/>): agent.json without
/// Device:ThingName, Mqtt:CertFile or Mqtt:KeyFile, and the claim's files.
/// </summary>
public sealed record ProvisionedDevice(string Folder, string Config, IssuedIdentity Claim, string Store)
{
    /// <summary>Where provision writes the device's certificate, key and its own state.</summary>
    public string Certs => Path.Combine(Folder, "certs");

    /// <summary><c>provision</c>'s arguments for this device, plus <paramref name="extra"/>.</summary>
    public string[] ProvisionArgs(string template, string thing, params string[] extra) =>
        ["provision", "--claim-cert", Claim.CertFile, "--claim-key", Claim.KeyFile, "--template", template,
         "--param", $"ThingName={thing}", "--param", $"StoreId={Store}", "--config", Config, .. extra];
}
