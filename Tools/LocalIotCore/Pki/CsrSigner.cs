using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.LocalIot.Pki;

/// <summary>
/// Signs a device's PKCS#10 request with a test CA, as CreateCertificateFromCsr does with Amazon's CA: the device's
/// key never leaves it. The subject is kept from the request (mosquitto maps its CN to the user name).
/// </summary>
public static class CsrSigner
{
    /// <summary>The signed certificate; throws <see cref="CryptographicException"/> for a malformed or badly signed request.</summary>
    public static X509Certificate2 Sign(string csrPem, CertificateAuthority ca, DateTimeOffset now, TimeSpan lifetime)
    {
        // LoadSigningRequestPem checks the request's self-signature (proof the device holds the key).
        var request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Clear();
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        return request.Create(ca.Certificate.SubjectName, ca.SignatureGenerator(), now.AddMinutes(-5), now + lifetime, CertificateAuthority.NewSerial());
    }

    /// <summary>AWS's certificateId: the SHA-256 of the certificate's DER, in lower-case hex.</summary>
    public static string CertificateId(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
