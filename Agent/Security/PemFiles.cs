using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Security;

/// <summary>Writes certificates and keys as PEM; private keys are created 0600 so they are never readable by others, not even for an instant.</summary>
public static class PemFiles
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes a certificate (public, 0644).</summary>
    public static void WriteCertificate(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>Writes a private key, created with mode 0600.</summary>
    public static void WritePrivateKey(string path, AsymmetricAlgorithm key, KeyEncoding encoding = KeyEncoding.Pkcs8)
    {
        ArgumentNullException.ThrowIfNull(key);
        var pem = (key, encoding) switch
        {
            (_, KeyEncoding.Pkcs8) => key.ExportPkcs8PrivateKeyPem(),
            (RSA rsa, KeyEncoding.Traditional) => rsa.ExportRSAPrivateKeyPem(),
            (ECDsa ec, KeyEncoding.Traditional) => ec.ExportECPrivateKeyPem(),
            _ => throw new ArgumentException($"Unsupported key type {key.GetType().Name}.", nameof(key)),
        };
        File.Delete(path); // an existing file would keep its old, possibly wider, mode
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
        writer.Write('\n');
    }
}
