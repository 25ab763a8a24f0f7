using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ShelfAgent.Security;
using ShelfAgent.Storage;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// The files of a provisioning run in the certificate folder: the pending key and certificate, the state, and the
/// installed <c>device.crt</c> / <c>device.key</c>. Every write is durable (<see cref="DurableFile"/>).
/// </summary>
public sealed class ProvisioningFiles(string folder)
{
    /// <summary>The certificate folder (created 0750 when missing, as certs/README.md states).</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The key made for this run, 0600, until installed.</summary>
    public string PendingKey => Path.Combine(Folder, "pending.key");

    /// <summary>The certificate AWS issued for the pending key, until installed.</summary>
    public string PendingCertificate => Path.Combine(Folder, "pending.crt");

    /// <summary>The run's state (<see cref="ProvisioningState"/>), 0600: it holds the ownership token.</summary>
    public string State => Path.Combine(Folder, "provisioning.json");

    /// <summary>The installed certificate.</summary>
    public string Certificate => Path.Combine(Folder, "device.crt");

    /// <summary>The installed private key.</summary>
    public string Key => Path.Combine(Folder, "device.key");

    /// <summary>Creates the folder (0750) when missing.</summary>
    public void EnsureFolder()
    {
        if (!Directory.Exists(Folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Folder);
            }
            else
            {
                Directory.CreateDirectory(
                    Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            }

            ServiceFileOwner.ApplyFolder(Folder);
        }
    }

    /// <summary>The state, or null when there is none (or it cannot be read: the run then starts again).</summary>
    public ProvisioningState? LoadState()
    {
        if (!File.Exists(State))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(State), ProvisioningJsonContext.Default.ProvisioningState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Saves the state durably, 0600.</summary>
    public Task SaveStateAsync(ProvisioningState state, CancellationToken cancellationToken) =>
        DurableFile.WriteAsync(
            State, JsonSerializer.SerializeToUtf8Bytes(state, ProvisioningJsonContext.Default.ProvisioningState), DurableFile.Private, cancellationToken);

    /// <summary>The pending key, or null when absent or unreadable.</summary>
    public AsymmetricAlgorithm? LoadPendingKey()
    {
        if (!File.Exists(PendingKey))
        {
            return null;
        }

        try
        {
            return CertificateSigningRequest.LoadKey(File.ReadAllText(PendingKey));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Writes a new pending key, 0600 from its creation.</summary>
    public Task SavePendingKeyAsync(AsymmetricAlgorithm key, CancellationToken cancellationToken) =>
        DurableFile.WriteAsync(PendingKey, KeyPem(key), DurableFile.Private, cancellationToken);

    /// <summary>Writes the certificate issued for the pending key (0640), for the connection check.</summary>
    public Task SavePendingCertificateAsync(string pem, CancellationToken cancellationToken) =>
        DurableFile.WriteAsync(PendingCertificate, Encoding.ASCII.GetBytes(pem.TrimEnd() + "\n"), DurableFile.GroupReadable, cancellationToken);

    /// <summary>The PEM bytes of a private key (PKCS#8).</summary>
    public static byte[] KeyPem(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>Removes the pending files and then the state (in that order: a state without a pending key means "start again").</summary>
    public void CleanUp()
    {
        DurableFile.Delete(PendingKey);
        DurableFile.Delete(PendingCertificate);
        DurableFile.Delete(State);
    }

    /// <summary>The kind of a key, for <see cref="ProvisioningPlan"/>.</summary>
    public static KeyKind? KindOf(AsymmetricAlgorithm? key) => key is null ? null : CertificateSigningRequest.KindOf(key);
}
