using ShelfAgent.LocalIot;


namespace ShelfAgent.Tests.Integration.IotCore;

/// <summary>
/// A device folder before provisioning: agent.json with the endpoint, store, buffer and one simulated slot but no
/// identity (no Device:ThingName, Mqtt:CertFile or Mqtt:KeyFile), and the claim's files, as a technician would have them.
/// </summary>
public sealed class ProvisionedDevice : IDisposable
{
    private readonly TempDirectory _dir = new("provision-it");

    private ProvisionedDevice(IssuedIdentity claim)
    {
        Claim = claim;
    }

    public IssuedIdentity Claim { get; }

    public string Config => _dir.File("agent.json");

    public string Certs => _dir.File("certs");

    public static async Task<ProvisionedDevice> CreateAsync(LocalIotCore core)
    {
        var device = new ProvisionedDevice(await core.IssueClaimCertificateAsync());
        await File.WriteAllTextAsync(device.Config, $$"""
            {
              "Device": { "StoreId": "store-7" },
              "Mqtt": { "Host": "{{core.Host}}", "Port": {{core.Port}}, "CaFile": "{{core.CaFile}}", "KeepAliveSeconds": 5 },
              "Buffer": { "Path": "{{device._dir.File("outbox.db")}}" },
              "Sampling": { "IntervalMs": 200 },
              "Publish": { "IntervalMs": 500 },
              "Logging": { "Level": "Debug" },
              "Slots": [ { "Id": "S1", "Sku": "SKU-1", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } } ]
            }
            """);
        return device;
    }

    /// <summary><c>provision</c>'s arguments for this device, plus <paramref name="extra"/>.</summary>
    public string[] ProvisionArgs(string template, string thing, params string[] extra) =>
        ["provision", "--claim-cert", Claim.CertFile, "--claim-key", Claim.KeyFile, "--template", template,
         "--param", $"ThingName={thing}", "--param", "StoreId=store-7", "--config", Config, .. extra];

    public void Dispose() => _dir.Dispose();
}
