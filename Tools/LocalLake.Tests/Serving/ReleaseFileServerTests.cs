using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.LocalLake.Serving;

namespace ShelfAgent.LocalLake.Tests.Serving;

/// <summary><c>local-lake serve</c>: the published files over HTTPS on 127.0.0.1, trusted through the development CA it made.</summary>
public sealed class ReleaseFileServerTests
{
    [Fact]
    public async Task A_published_file_is_served_over_https_to_a_client_trusting_only_the_dev_ca_with_ranges()
    {
        using var lake = new TestLake();
        var folder = Path.Combine(lake.Directory, "published");
        Directory.CreateDirectory(Path.Combine(folder, "profiles", "r-1"));
        await File.WriteAllTextAsync(Path.Combine(folder, "profiles", "r-1", "store-1.json"), "{\"release\":\"r-1\"}");

        await using var server = await ReleaseFileServer.StartAsync(folder, 0, Path.Combine(lake.Directory, "https"), CancellationToken.None);
        using var http = new HttpClient(Trusting(server.CaFile));

        Assert.Equal(IPAddress.Loopback.ToString(), server.BaseUrl.Host);
        Assert.Equal("{\"release\":\"r-1\"}", await http.GetStringAsync(new Uri(server.BaseUrl, "profiles/r-1/store-1.json")));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUrl, "profiles/r-1/store-1.json"));
        ranged.Headers.Range = new RangeHeaderValue(2, null);
        using var partial = await http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("release\":\"r-1\"}", await partial.Content.ReadAsStringAsync());
        using var missing = await http.GetAsync(new Uri(server.BaseUrl, "profiles/r-1/store-9.json"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static SocketsHttpHandler Trusting(string caFile)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caFile);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trust);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }
}
