using System.Security.Cryptography;
using ShelfAgent.LocalIot.Pki;
using ShelfAgent.LocalIot.State;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>Writes what a device or viewer needs into a folder: NAME.crt, NAME.key (0600) and the CA to trust, ca.crt.</summary>
internal static class CertificateFiles
{
    public static (string Cert, string Key, string Ca) Write(
        string directory, string name, string certificatePem, AsymmetricAlgorithm key, string stateDirectory)
    {
        Directory.CreateDirectory(directory);
        var cert = Path.Combine(directory, name + ".crt");
        var keyFile = Path.Combine(directory, name + ".key");
        var ca = Path.Combine(directory, "ca.crt");
        File.WriteAllText(cert, certificatePem);
        PemFiles.WritePrivateKey(keyFile, key);
        var endpoint = CoreEndpoint.Read(stateDirectory) ?? throw new IOException($"{CoreEndpoint.FileName} vanished from {stateDirectory}");
        File.Copy(endpoint.CaFile, ca, overwrite: true);
        return (cert, keyFile, ca);
    }
}
