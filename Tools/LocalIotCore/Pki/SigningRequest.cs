using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ShelfAgent.LocalIot.Pki;

/// <summary>A new key pair and its PKCS#10 request (PEM), as a device makes them for create-from-csr: the key stays with its maker.</summary>
public static class SigningRequest
{
    /// <summary>A key of <paramref name="kind"/> and a CSR with subject CN = <paramref name="commonName"/>; the caller disposes the key.</summary>
    public static (string CsrPem, AsymmetricAlgorithm Key) Create(string commonName, KeyKind kind = KeyKind.EcP256)
    {
        AsymmetricAlgorithm key = kind == KeyKind.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=" + commonName, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => new CertificateRequest("CN=" + commonName, (ECDsa)key, HashAlgorithmName.SHA256),
        };
        return (request.CreateSigningRequestPem(), key);
    }
}
