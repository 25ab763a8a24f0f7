using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.LocalIot.Pki;

namespace ShelfAgent.LocalIot.Tests.Pki;

/// <summary>The core's own CA: what it issues chains to it, in both key kinds, and it survives being written and loaded.</summary>
public sealed class CertificateAuthorityTests
{
    [Theory]
    [InlineData(KeyKind.EcP256)]
    [InlineData(KeyKind.Rsa2048)]
    public void Client_certificate_has_the_name_as_cn_client_auth_and_chains_to_the_ca(KeyKind kind)
    {
        using var ca = CertificateAuthority.Create("CA " + Guid.NewGuid().ToString("N")[..8]);
        using var issued = ca.IssueClient("shelf-0001", kind);

        Assert.Equal("shelf-0001", issued.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains(
            issued.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
        Assert.Equal(kind == KeyKind.Rsa2048 ? "RSA" : "ECDsa", issued.Key is RSA ? "RSA" : issued.Key is ECDsa ? "ECDsa" : "?");
        Assert.True(Chains(issued.Certificate, ca.Certificate));
    }

    [Fact]
    public void Server_certificate_names_localhost_and_both_loopback_addresses()
    {
        using var ca = CertificateAuthority.Create("CA " + Guid.NewGuid().ToString("N")[..8]);
        using var server = ca.IssueServer("localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);

        var san = server.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
    }

    [Theory]
    [InlineData(KeyEncoding.Pkcs8, "-----BEGIN PRIVATE KEY-----")]
    [InlineData(KeyEncoding.Traditional, "-----BEGIN EC PRIVATE KEY-----")]
    public void Key_is_written_0600_in_the_asked_encoding(KeyEncoding encoding, string header)
    {
        var dir = Directory.CreateTempSubdirectory("pki-").FullName;
        try
        {
            using var ca = CertificateAuthority.Create("CA " + Guid.NewGuid().ToString("N")[..8]);
            using var issued = ca.IssueClient("d1");
            issued.WritePem(Path.Combine(dir, "d1.crt"), Path.Combine(dir, "d1.key"), encoding);

            Assert.StartsWith(header, File.ReadAllText(Path.Combine(dir, "d1.key")), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "d1.key")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Loaded_ca_goes_on_issuing_certificates_that_chain_to_the_one_written()
    {
        var dir = Directory.CreateTempSubdirectory("pki-").FullName;
        try
        {
            using (var ca = CertificateAuthority.Create("CA " + Guid.NewGuid().ToString("N")[..8]))
            {
                ca.WritePem(Path.Combine(dir, "ca.crt"), Path.Combine(dir, "ca.key"));
            }

            using var loaded = CertificateAuthority.Load(Path.Combine(dir, "ca.crt"), Path.Combine(dir, "ca.key"));
            using var issued = loaded.IssueClient("d2");
            using var written = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "ca.crt"));

            Assert.True(Chains(issued.Certificate, written));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Signed_csr_keeps_the_requested_cn_and_chains_to_the_ca()
    {
        using var ca = CertificateAuthority.Create("CA " + Guid.NewGuid().ToString("N")[..8]);
        var (csr, key) = SigningRequest.Create("shelf-0002", KeyKind.Rsa2048);
        using (key)
        {
            using var signed = CsrSigner.Sign(csr, ca, DateTimeOffset.UtcNow, TimeSpan.FromDays(1));

            Assert.Equal("shelf-0002", signed.GetNameInfo(X509NameType.SimpleName, false));
            Assert.True(Chains(signed, ca.Certificate));
        }
    }

    private static bool Chains(X509Certificate2 leaf, X509Certificate2 root)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
