using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// An HTTPS server on 127.0.0.1 with a certificate from its own test CA (<see cref="CaFile"/>), one TLS connection per
/// request (HTTP/1.1, <c>Connection: close</c>): what S3 behind a pre-signed URL looks like to the agent. Subclasses
/// answer a request from its head (<see cref="HandleAsync"/>).
/// </summary>
public abstract class LocalHttpsServer : IAsyncDisposable
{
    private readonly TempDirectory _dir;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    protected LocalHttpsServer(string name)
    {
        _dir = new TempDirectory("https-" + name);
        using var ca = DevCertificateAuthority.Create($"{name} CA " + Guid.NewGuid().ToString("N")[..8]);
        CaFile = _dir.File(name + "-ca.crt");
        ca.WritePem(CaFile, _dir.File(name + "-ca.key"));
        using var server = ca.IssueServer("127.0.0.1", ["localhost"], [IPAddress.Loopback]);
        server.WritePem(_dir.File("server.crt"), _dir.File("server.key"));
        _certificate = X509Certificate2.CreateFromPemFile(_dir.File("server.crt"), _dir.File("server.key"));
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>The PEM of the CA that signed the server's certificate (for SSL_CERT_FILE or <see cref="TrustingHandler"/>).</summary>
    public string CaFile { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Cancelled when the server stops.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>An HttpClient handler trusting only this server's CA (for in-process tests).</summary>
    public SocketsHttpHandler TrustingHandler()
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(CaFile);
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(trust);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _certificate.Dispose();
        _stop.Dispose();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Answers one request whose head (request line and headers, up to the empty line) was read.</summary>
    protected abstract Task HandleAsync(SslStream tls, string head);

    /// <summary>Writes ASCII text (a status line and headers) and flushes.</summary>
    protected async Task WriteAsync(Stream stream, string text)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), Stopping);
        await stream.FlushAsync(Stopping);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = _certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
                _stop.Token);
            await HandleAsync(tls, await ReadHeadAsync(tls));
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException)
        {
            // The client went away (killed mid-request) or the server stops.
        }
    }

    private async Task<string> ReadHeadAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (!(bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                throw new IOException("closed before the end of the headers");
            }

            bytes.Add(one[0]);
        }

        return Encoding.ASCII.GetString([.. bytes]);
    }
}
