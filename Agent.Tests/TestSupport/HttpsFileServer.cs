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
/// Stands in for S3 behind a pre-signed GET URL: an HTTPS server on 127.0.0.1 (certificate from its own CA,
/// <see cref="CaFile"/>) serving files with HTTP/1.1, single ranges (<c>Range: bytes=N-</c> → 206 with Content-Range, as
/// S3 does), and faults on demand: <see cref="CutNext"/> ends the next responses' bodies early (a truncated download),
/// <see cref="Status"/> answers an error. <see cref="Requests"/> records each request's path and Range header.
/// </summary>
public sealed class HttpsFileServer : IAsyncDisposable
{
    private readonly TempDirectory _dir = new("https-files");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Task _loop;
    private int _cuts;
    private long _cutAfter;

    public HttpsFileServer()
    {
        using var ca = DevCertificateAuthority.Create("Files CA " + Guid.NewGuid().ToString("N")[..8]);
        CaFile = _dir.File("files-ca.crt");
        ca.WritePem(CaFile, _dir.File("files-ca.key"));
        using var server = ca.IssueServer("127.0.0.1", ["localhost"], [IPAddress.Loopback]);
        server.WritePem(_dir.File("server.crt"), _dir.File("server.key"));
        _certificate = X509Certificate2.CreateFromPemFile(_dir.File("server.crt"), _dir.File("server.key"));
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>The PEM of the CA that signed the server's certificate (for SSL_CERT_FILE or <see cref="TrustingHandler"/>).</summary>
    public string CaFile { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Answer this status (with an empty body) instead of the file, when set.</summary>
    public HttpStatusCode? Status { get; set; }

    /// <summary>Each request: its path (with query) and its Range header (null when none).</summary>
    public ConcurrentQueue<(string Path, string? Range)> Requests { get; } = new();

    /// <summary>Serves <paramref name="content"/> at <paramref name="path"/> and returns its URL (with a fake signature query).</summary>
    public Uri Serve(string path, byte[] content)
    {
        _files[path] = content;
        return new Uri($"https://127.0.0.1:{Port}{path}?X-Amz-Signature=test");
    }

    /// <summary>The next <paramref name="responses"/> responses end after <paramref name="afterBytes"/> bytes of body.</summary>
    public void CutNext(int responses, long afterBytes)
    {
        Interlocked.Exchange(ref _cutAfter, afterBytes);
        Volatile.Write(ref _cuts, responses);
    }

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
            var target = lines[0].Split(' ')[1];
            var range = lines.Skip(1).Where(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase)).Select(l => l[6..].Trim()).FirstOrDefault();
            Requests.Enqueue((target, range));
            var path = target.Split('?')[0];
            if (Status is { } status || !_files.TryGetValue(path, out var content))
            {
                var code = Status ?? HttpStatusCode.NotFound;
                await WriteAsync(tls, $"HTTP/1.1 {(int)code} {code}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            var start = 0L;
            var answer = "200 OK";
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                start = long.Parse(range[6..^1], CultureInfo.InvariantCulture);
                if (start >= content.Length)
                {
                    await WriteAsync(
                        tls,
                        $"HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{content.Length}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                }

                answer = "206 Partial Content";
            }

            var length = content.Length - start;
            var headers = $"HTTP/1.1 {answer}\r\nContent-Length: {length}\r\nContent-Type: application/gzip\r\nConnection: close\r\n" +
                          (start > 0 ? $"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\n" : "") + "\r\n";
            await WriteAsync(tls, headers);
            var send = length;
            if (Interlocked.Decrement(ref _cuts) >= 0)
            {
                send = Math.Min(length, Interlocked.Read(ref _cutAfter));
            }

            await tls.WriteAsync(content.AsMemory((int)start, (int)send), _stop.Token);
            await tls.FlushAsync(_stop.Token);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException or SocketException)
        {
            // The client went away (killed mid-download) or the server stops.
        }
    }

    private async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token);
        await stream.FlushAsync(_stop.Token);
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
