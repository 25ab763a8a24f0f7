using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.IotCore.Provisioning;

public sealed class CertificateSigningRequestTests
{
    [Theory]
    [InlineData(KeyKind.EcP256)]
    [InlineData(KeyKind.Rsa2048)]
    public void Csr_is_self_signed_by_the_device_key_with_the_common_name(KeyKind kind)
    {
        using var key = CertificateSigningRequest.NewKey(kind);

        var pem = CertificateSigningRequest.Build(key, "shelf-0042");

        // LoadSigningRequestPem verifies the request's signature (proof of possession).
        var request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        Assert.Equal("CN=shelf-0042", request.SubjectName.Name);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), request.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(kind, CertificateSigningRequest.KindOf(key));
    }

    [Fact]
    public void New_keys_are_P256_and_RSA_2048()
    {
        using var ec = (ECDsa)CertificateSigningRequest.NewKey(KeyKind.EcP256);
        using var rsa = (RSA)CertificateSigningRequest.NewKey(KeyKind.Rsa2048);
        Assert.Equal(256, ec.KeySize);
        Assert.Equal(2048, rsa.KeySize);
    }

    [Theory]
    [InlineData(KeyKind.EcP256)]
    [InlineData(KeyKind.Rsa2048)]
    public void LoadKey_reads_back_the_written_pem(KeyKind kind)
    {
        using var key = CertificateSigningRequest.NewKey(kind);

        using var loaded = CertificateSigningRequest.LoadKey(key.ExportPkcs8PrivateKeyPem());

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void Matches_tells_whether_a_certificate_is_for_the_key()
    {
        using var key = CertificateSigningRequest.NewKey(KeyKind.EcP256);
        using var other = CertificateSigningRequest.NewKey(KeyKind.EcP256);
        var certificate = SelfSigned((ECDsa)key);

        Assert.True(CertificateSigningRequest.Matches(certificate, key));
        Assert.False(CertificateSigningRequest.Matches(certificate, other));
        Assert.False(CertificateSigningRequest.Matches("not a certificate", key));
    }

    private static string SelfSigned(ECDsa key)
    {
        using var certificate = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
