namespace ShelfAgent.Tests.Integration;

/// <summary>
/// A device of an <see cref="IntegrationEnvironment"/>: its identity, and a folder of its own holding agent.json, the
/// buffer and whatever the agent writes beside them (desired-config.json, jobs.json, logs).
/// </summary>
public sealed class TestDevice
{
    private readonly AgentJson _json;

    internal TestDevice(string thing, string store, string? certFile, string? keyFile, string folder, AgentJson json)
    {
        Thing = thing;
        Store = store;
        CertFile = certFile;
        KeyFile = keyFile;
        Folder = folder;
        _json = json;
        Config = json.WriteTo(File("agent.json"));
    }

    public string Thing { get; }

    public string Store { get; }

    public string? CertFile { get; }

    public string? KeyFile { get; }

    public string Folder { get; }

    /// <summary>agent.json, written when the device was made.</summary>
    public string Config { get; }

    /// <summary>The buffer (Buffer:Path).</summary>
    public string Outbox => File("outbox.db");

    /// <summary>The MQTT topic of this device for <paramref name="kind"/> (telemetry, events, alerts, status, …).</summary>
    public string Topic(string kind) => $"dt/shelf/{Store}/{Thing}/{kind}";

    public string File(string name) => Path.Combine(Folder, name);

    /// <summary>Another agent.json for the same device beside the first, with changes (e.g. a port nothing listens on).</summary>
    public string WriteConfig(string name, Action<AgentJson> change)
    {
        var json = _json.Copy();
        change(json);
        return json.WriteTo(File(name));
    }
}
