using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.Transport.Tls;

/// <summary>Loads the trust anchors and the device certificate from PEM files, failing with operator hints.</summary>
public static class TlsCredentials
{
    /// <summary>Folder under the application base holding AmazonRootCA1.pem and AmazonRootCA3.pem.</summary>
    public const string AmazonRootsFolder = "certs";

    /// <summary>
    /// The CA certificates trusted for the broker: the CA file when given; the shipped Amazon roots for an AWS IoT
    /// endpoint; otherwise null, meaning the system store.
    /// </summary>
    public static X509Certificate2Collection? LoadTrust(MqttTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CaFile is { } caFile)
        {
            return LoadCaFiles([caFile]);
        }

        if (AwsIotLimits.IsAwsIotEndpoint(options.Host))
        {
            var dir = Path.Combine(AppContext.BaseDirectory, AmazonRootsFolder);
            return LoadCaFiles([Path.Combine(dir, "AmazonRootCA1.pem"), Path.Combine(dir, "AmazonRootCA3.pem")]);
        }

        return null;
    }

    /// <summary>
    /// The device certificate with its private key (PEM "RSA PRIVATE KEY", "EC PRIVATE KEY" or "PRIVATE KEY"),
    /// plus any intermediates that follow it in the certificate file; null when no CertFile is configured.
    /// </summary>
    public static (X509Certificate2 Certificate, X509Certificate2Collection Intermediates)? LoadClientCertificate(MqttTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CertFile is null || options.KeyFile is null)
        {
            return null;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile);
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(options.CertFile);
            var intermediates = new X509Certificate2Collection();
            foreach (var extra in all)
            {
                if (extra.Thumbprint != certificate.Thumbprint)
                {
                    intermediates.Add(extra);
                }
            }

            return (certificate, intermediates);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // The message names the files, never their contents.
            throw new MqttTlsException(MqttTlsFailure.ClientCertificateUnreadable,
                $"Cannot load the device certificate {options.CertFile} with key {options.KeyFile}: {e.Message}",
                MqttExceptionTranslator.HintFor(MqttTlsFailure.ClientCertificateUnreadable), e);
        }
    }

    private static X509Certificate2Collection LoadCaFiles(IEnumerable<string> files)
    {
        var trust = new X509Certificate2Collection();
        foreach (var file in files)
        {
            try
            {
                trust.ImportFromPemFile(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new MqttTlsException(MqttTlsFailure.CaFileUnreadable, $"Cannot read the CA file {file}: {e.Message}",
                    MqttExceptionTranslator.HintFor(MqttTlsFailure.CaFileUnreadable), e);
            }
        }

        return trust.Count > 0
            ? trust
            : throw new MqttTlsException(MqttTlsFailure.CaFileUnreadable, $"No certificate found in {string.Join(", ", files)}.",
                MqttExceptionTranslator.HintFor(MqttTlsFailure.CaFileUnreadable));
    }
}
