using System.Text;
using System.Text.Json;
using ShelfAgent.Storage;

namespace ShelfAgent.IotCore.Provisioning;

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
    public static async Task<string?> InstallAsync(
        string configFile,
        string thingName,
        string certificatePem,
        byte[] keyPem,
        string certPath,
        string keyPath,
        CancellationToken cancellationToken)
    {
        await DurableFile.WriteAsync(keyPath, keyPem, DurableFile.Private, cancellationToken).ConfigureAwait(false);
        await DurableFile.WriteAsync(certPath, Encoding.ASCII.GetBytes(certificatePem.TrimEnd() + "\n"), DurableFile.GroupReadable, cancellationToken)
            .ConfigureAwait(false);
        var owners = ServiceFileOwner.Apply(certPath, keyPath);
        await SwitchConfigAsync(configFile, thingName, certPath, keyPath, cancellationToken).ConfigureAwait(false);
        return owners;
    }

    /// <summary>Rewrites agent.json with the identity keys, keeping its mode and everything else.</summary>
    public static async Task SwitchConfigAsync(string configFile, string thingName, string certPath, string keyPath, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(configFile, cancellationToken).ConfigureAwait(false);
        var patched = AgentJsonIdentity.Patch(text, thingName, Path.GetFullPath(certPath), Path.GetFullPath(keyPath));
        await DurableFile.WriteAsync(configFile, Encoding.UTF8.GetBytes(patched), DurableFile.ModeOf(configFile, DurableFile.GroupReadable), cancellationToken)
            .ConfigureAwait(false);
    }
}
