using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.State;

/// <summary>
/// Where a running core answers and with which identity a second process may ask it (<c>endpoint.json</c> in the
/// state folder, 0600, written once the core answers and removed when it stops): host, port, the CA to trust, and the
/// service identity's certificate and key for the control topics.
/// </summary>
public sealed record CoreEndpoint(string Host, int Port, string CaFile, string CertFile, string KeyFile, int ProcessId)
{
    /// <summary>The file's name in the state folder.</summary>
    public const string FileName = "endpoint.json";

    /// <summary>The endpoint a core in <paramref name="stateDirectory"/> wrote, or null when none runs there (no file).</summary>
    public static CoreEndpoint? Read(string stateDirectory)
    {
        var path = Path.Combine(stateDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object");
        string Text(string name) => json[name]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: {name} is missing");
        return new CoreEndpoint(
            Text("host"), json["port"]?.GetValue<int>() ?? 0, Text("caFile"), Text("certFile"), Text("keyFile"), json["pid"]?.GetValue<int>() ?? 0);
    }

    /// <summary>Writes the file (0600: it names the service's key).</summary>
    public void Write(string stateDirectory)
    {
        var json = new JsonObject
        {
            ["host"] = Host,
            ["port"] = Port,
            ["caFile"] = CaFile,
            ["certFile"] = CertFile,
            ["keyFile"] = KeyFile,
            ["pid"] = ProcessId,
        };
        StateFile.WriteAtomically(Path.Combine(stateDirectory, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
