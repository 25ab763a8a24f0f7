using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Integration;

/// <summary>An agent.json for a test broker: simulated slots, fast sampling and publishing.</summary>
public static class AgentConfigFile
{
    public static string Write(string path, MosquittoBroker broker, string thing, string store, string certFile, string keyFile, string bufferPath, int slots = 3, int samplingMs = 100, int publishMs = 200, string host = "127.0.0.1")
    {
        var slotJson = string.Join(",\n", Enumerable.Range(1, slots).Select(i =>
            $$"""    { "Id": "S{{i}}", "Sku": "SKU-{{i}}", "UnitGrams": 368, "TareGrams": 150, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated", "PicksPerHour": 3600, "FaultProbability": 0.01 } }"""));
        File.WriteAllText(path, $$"""
            {
              "Device": { "ThingName": "{{thing}}", "StoreId": "{{store}}" },
              "Mqtt": { "Host": "{{host}}", "Port": {{broker.Port}}, "CaFile": "{{broker.CaFile}}", "CertFile": "{{certFile}}", "KeyFile": "{{keyFile}}", "KeepAliveSeconds": 5,
                        "MaxPublishesPerSecond": 0, "MaxBytesPerSecond": 0 },
              "Buffer": { "Path": "{{bufferPath}}" },
              "Sampling": { "IntervalMs": {{samplingMs}} },
              "Publish": { "IntervalMs": {{publishMs}} },
              "Logging": { "Level": "Debug" },
              "Slots": [
            {{slotJson}}
              ]
            }
            """);
        return path;
    }
}
