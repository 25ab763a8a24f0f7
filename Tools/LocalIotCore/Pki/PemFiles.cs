using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.LocalIot.Pki;

/// <summary>Writes certificates (0644) and private keys as PEM; a key file is created 0600, never readable by others even for an instant.</summary>
public static class PemFiles
{
    /// <summary>Writes a certificate (public).</summary>
    public static void WriteCertificate(string path, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>Writes a private key in the given encoding, created with mode 0600.</summary>
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
        WriteSecret(path, pem + "\n");
    }

    /// <summary>Writes text to a new file created 0600 (an existing file is replaced: it could have a wider mode).</summary>
    public static void WriteSecret(string path, string text)
    {
        File.Delete(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
