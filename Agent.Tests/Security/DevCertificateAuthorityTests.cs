using System.Net;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.Security;

public sealed class DevCertificateAuthorityTests
{
    [Fact]
    public void Device_certificate_has_the_thing_name_as_cn_and_chains_to_the_ca()
    {
        using var ca = DevCertificateAuthority.Create("Test CA");
        using var device = ca.IssueClient("shelf-0042-01", KeyKind.Rsa2048);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca.Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        Assert.Equal("shelf-0042-01", device.Certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(chain.Build(device.Certificate), string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void Server_certificate_names_localhost_and_loopback_addresses()
    {
        using var ca = DevCertificateAuthority.Create("Test CA");
        using var server = ca.IssueServer("localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);

        Assert.True(server.Certificate.MatchesHostname("localhost"));
        Assert.True(server.Certificate.MatchesHostname("127.0.0.1"));
        Assert.True(server.Certificate.MatchesHostname("::1"));
        Assert.False(server.Certificate.MatchesHostname("example.com"));
    }

    [Fact]
    public void Set_writes_private_keys_readable_only_by_the_owner()
    {
        using var dir = new TempDirectory();
        var set = DevCertificateSet.Create(dir.File("certs"), "shelf-1");

        foreach (var key in new[] { set.CaKey, set.ServerKey, set.DeviceKey })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(set.Directory));
    }

    [Fact]
    public void Set_reuses_the_existing_ca_when_a_second_device_is_issued()
    {
        using var dir = new TempDirectory();
        var first = DevCertificateSet.Create(dir.Path, "shelf-1");
        var caBefore = File.ReadAllText(first.CaCertificate);

        var second = DevCertificateSet.Create(dir.Path, "shelf-2");
        using var ca = X509CertificateLoader.LoadCertificateFromFile(second.CaCertificate);
        using var device1 = X509CertificateLoader.LoadCertificateFromFile(first.DeviceCertificate);

        Assert.Equal(caBefore, File.ReadAllText(second.CaCertificate));
        Assert.Equal(ca.Subject, device1.Issuer);
    }
}
