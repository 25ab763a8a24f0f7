using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// Stands in for S3 behind a pre-signed URL: an HTTPS server on 127.0.0.1 with a certificate from its own test CA
/// (<see cref="CaFile"/>), taking HTTP/1.1 PUTs. It answers <see cref="Status"/>, or, while <see cref="Hang"/> is set,
/// reads the request and never answers (a job the test can catch IN_PROGRESS). <see cref="Received"/> completes at
/// each request, so tests wait on it rather than on time.
/// </summary>
public sealed class HttpsPutListener : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("https-put");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource<PutRequest> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HttpsPutListener()
    {
        using var ca = DevCertificateAuthority.Create("Upload CA " + Guid.NewGuid().ToString("N")[..8]);
        CaFile = _dir.File("upload-ca.crt");
        ca.WritePem(CaFile, _dir.File("upload-ca.key"));
        using var server = ca.IssueServer("127.0.0.1", ["localhost"], [IPAddress.Loopback]);
        server.WritePem(_dir.File("server.crt"), _dir.File("server.key"));
        _certificate = X509Certificate2.CreateFromPemFile(_dir.File("server.crt"), _dir.File("server.key"));
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>The PEM of the CA that signed the server's certificate.</summary>
    public string CaFile { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What to answer.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    /// <summary>Read the request, answer nothing.</summary>
    public bool Hang { get; set; }

    public ConcurrentQueue<PutRequest> Requests { get; } = new();

    /// <summary>Completes at the next request (replaced after each one).</summary>
    public Task<PutRequest> Received => Volatile.Read(ref _received).Task;

    public Uri Url(string pathAndQuery) => new($"https://127.0.0.1:{Port}{pathAndQuery}");

    /// <summary>An HttpClient handler trusting only this listener's CA (for in-process tests).</summary>
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
            var head = await ReadHeadAsync(tls);
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
                .ToDictionary(
                    l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(),
                    l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(),
                    StringComparer.OrdinalIgnoreCase);
            var length = headers.TryGetValue("Content-Length", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
            var body = new byte[length];
            await tls.ReadExactlyAsync(body, _stop.Token);
            var request = new PutRequest(parts[0], parts[1], headers.GetValueOrDefault("Content-Type"), Encoding.UTF8.GetString(body));
            Requests.Enqueue(request);
            Interlocked.Exchange(ref _received, new TaskCompletionSource<PutRequest>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(request);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
            }

            var answer = $"HTTP/1.1 {(int)Status} {Status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            await tls.FlushAsync(_stop.Token);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException)
        {
            // The client went away (killed mid-request) or the listener stops.
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
