using System.Text;
using System.Text.Json;

namespace ShelfAgent.Fleet.Provisioning;

/// <summary>
/// Puts a new identity in place: the certificate (0640) and key (0600) written durably to their final paths, then
/// agent.json switched to them in one atomic rename. Until that rename the previous agent.json (and the identity it
/// names) is what the agent uses; a crash before it changes nothing the agent reads.
/// </summary>
public static class IdentityInstaller
{
    /// <summary>Writes the pair and switches agent.json; returns a note on file owners, or null.</summary>
    /// <exception cref="IOException">A file could not be written.</exception>
    /// <exception cref="JsonException">agent.json is not a JSON object.</exception>
    public static string? Install(string configFile, string thingName, string certificatePem, byte[] keyPem, string certPath, string keyPath)
    {
        DurableFile.Write(keyPath, keyPem, DurableFile.Private);
        DurableFile.Write(certPath, Encoding.ASCII.GetBytes(certificatePem.TrimEnd() + "\n"), DurableFile.GroupReadable);
        var owners = ServiceFileOwner.Apply(certPath, keyPath);
        SwitchConfig(configFile, thingName, certPath, keyPath);
        return owners;
    }

    /// <summary>Rewrites agent.json with the identity keys, keeping its mode and everything else.</summary>
    public static void SwitchConfig(string configFile, string thingName, string certPath, string keyPath)
    {
        var text = File.ReadAllText(configFile);
        var patched = AgentJsonIdentity.Patch(text, thingName, Path.GetFullPath(certPath), Path.GetFullPath(keyPath));
        DurableFile.Write(configFile, Encoding.UTF8.GetBytes(patched), DurableFile.ModeOf(configFile, DurableFile.GroupReadable));
    }
}
