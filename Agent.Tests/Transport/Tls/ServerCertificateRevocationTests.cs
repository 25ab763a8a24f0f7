using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ShelfAgent.Transport;
using ShelfAgent.Transport.Tls;

namespace ShelfAgent.Tests.Transport.Tls;

/// <summary>
/// Revocation of the broker's certificate: checked against the CRL its certificate names, served here by a real HTTP
/// server on 127.0.0.1, and never able to hang an offline device.
/// </summary>
public sealed class ServerCertificateRevocationTests
{
    [Fact]
    public async Task Refuses_a_broker_certificate_its_ca_has_revoked()
    {
        using var crl = new CrlServer();
        using var pki = new Pki(crl.Url);
        crl.Serve(pki.Crl(revoked: pki.Leaf));
        var outcome = new TlsValidationOutcome();

        var accepted = await Task.Run(
            () => ServerCertificateValidator.Validate("broker.local", pki.Leaf, null, SslPolicyErrors.None, outcome, TimeProvider.System, [pki.Root]));

        Assert.False(accepted);
        Assert.Equal(MqttTlsFailure.ServerCertificateRevoked, outcome.Failure);
        Assert.Contains("revoked", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_a_broker_certificate_whose_ca_lists_other_revocations()
    {
        using var crl = new CrlServer();
        using var pki = new Pki(crl.Url);
        crl.Serve(pki.Crl(revoked: null));
        var outcome = new TlsValidationOutcome();

        var accepted = await Task.Run(
            () => ServerCertificateValidator.Validate("broker.local", pki.Leaf, null, SslPolicyErrors.None, outcome, TimeProvider.System, [pki.Root]));

        Assert.True(accepted, outcome.Detail);
        Assert.Null(outcome.Failure);
    }

    [Fact]
    public async Task Accepts_within_the_fetch_limit_when_the_revocation_server_never_answers()
    {
        // A listener that accepts and never answers: an offline device behind a captive network.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        using var pki = new Pki($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/ca.crl");
        var outcome = new TlsValidationOutcome();

        var check = Task.Run(
            () => ServerCertificateValidator.Validate("broker.local", pki.Leaf, null, SslPolicyErrors.None, outcome, TimeProvider.System, [pki.Root]));

        // A bound, not a speed check: the handshake must not wait for the network much beyond the 2 s fetch limit.
        var finished = await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(check, finished);
        Assert.True(await check);
    }

    /// <summary>A root CA and a broker certificate whose CRL distribution point is <c>url</c>.</summary>
    private sealed class Pki : IDisposable
    {
        private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public Pki(string url)
        {
            // A CA name of its own per test: .NET on Linux caches a fetched CRL by its issuer's name
            // (~/.dotnet/corefx/cryptography/crls), and another test's CRL for a same-named CA, signed by another key,
            // would stand in for this one's and leave the revocation status unknown.
            var rootRequest = new CertificateRequest($"CN=Revocation test CA {Guid.NewGuid():N}", _rootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
            Root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leafRequest = new CertificateRequest("CN=broker.local", leafKey, HashAlgorithmName.SHA256);
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            leafRequest.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([url]));
            leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Root, true, false));
            Leaf = leafRequest.Create(Root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
        }

        public X509Certificate2 Root { get; }

        public X509Certificate2 Leaf { get; }

        public byte[] Crl(X509Certificate2? revoked)
        {
            var builder = new CertificateRevocationListBuilder();
            if (revoked is not null)
            {
                builder.AddEntry(revoked, DateTimeOffset.UtcNow.AddMinutes(-5));
            }

            return builder.Build(Root, 1, DateTimeOffset.UtcNow.AddDays(1), HashAlgorithmName.SHA256);
        }

        public void Dispose()
        {
            Root.Dispose();
            Leaf.Dispose();
            _rootKey.Dispose();
        }
    }

    /// <summary>Serves one CRL over HTTP on 127.0.0.1.</summary>
    private sealed class CrlServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private byte[] _crl = [];

        public CrlServer()
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/ca.crl";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = LoopAsync();
        }

        public string Url { get; }

        public void Serve(byte[] crl) => _crl = crl;

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private async Task LoopAsync()
        {
            try
            {
                while (true)
                {
                    var context = await _listener.GetContextAsync();
                    context.Response.ContentType = "application/pkix-crl";
                    await context.Response.OutputStream.WriteAsync(_crl);
                    context.Response.Close();
                }
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped.
            }
        }
    }
}
