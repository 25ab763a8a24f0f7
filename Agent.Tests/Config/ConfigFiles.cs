using System.Collections;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.Config;

/// <summary>Writes agent.json variants and the certificate files they point at.</summary>
public sealed class ConfigFiles : IDisposable
{
    private readonly TempDirectory _dir = new("config");

    public ConfigFiles()
    {
        Certs = DevCertificateSet.Create(_dir.File("certs"), "shelf-0042-01");
    }

    public DevCertificateSet Certs { get; }

    public string Dir => _dir.Path;

    public static IDictionary NoEnvironment { get; } = new Hashtable();

    public string Write(string json, string name = "agent.json")
    {
        var path = _dir.File(name);
        File.WriteAllText(path, json);
        return path;
    }

    public string ValidJson(string slots = DefaultSlots, string extraMqtt = "") => $$"""
        {
          "Device": { "ThingName": "shelf-0042-01", "StoreId": "store-0042" },
          "Mqtt": { "Host": "localhost", "Port": 8883, "CaFile": "{{Certs.CaCertificate}}", "CertFile": "{{Certs.DeviceCertificate}}",
                    "KeyFile": "{{Certs.DeviceKey}}"{{extraMqtt}} },
          "Buffer": { "Path": "{{_dir.File("outbox.db")}}" },
          "Publish": { "IntervalMs": 1000 },
          "Sampling": { "IntervalMs": 500 },
          "Slots": {{slots}}
        }
        """;

    public const string DefaultSlots = """
        [ { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } } ]
        """;

    public void Dispose() => _dir.Dispose();
}
