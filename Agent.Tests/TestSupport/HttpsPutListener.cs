using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Text;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// Stands in for S3 behind a pre-signed URL: an HTTPS server on 127.0.0.1 with a certificate from its own test CA
/// (<see cref="LocalHttpsServer.CaFile"/>), taking HTTP/1.1 PUTs. It answers <see cref="Status"/>, or, while <see cref="Hang"/> is set,
/// reads the request and never answers (a job the test can catch IN_PROGRESS). <see cref="Received"/> completes at
/// each request, so tests wait on it rather than on time.
/// </summary>
public sealed class HttpsPutListener() : LocalHttpsServer("upload")
{
    private TaskCompletionSource<PutRequest> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What to answer.</summary>
    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    /// <summary>Read the request, answer nothing.</summary>
    public bool Hang { get; set; }

    public ConcurrentQueue<PutRequest> Requests { get; } = new();

    /// <summary>Completes at the next request (replaced after each one).</summary>
    public Task<PutRequest> Received => Volatile.Read(ref _received).Task;

    public Uri Url(string pathAndQuery) => new($"https://127.0.0.1:{Port}{pathAndQuery}");

    protected override async Task HandleAsync(SslStream tls, string head)
    {
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal))
            .ToDictionary(
                l => l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(),
                l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(),
                StringComparer.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 0;
        var body = new byte[length];
        await tls.ReadExactlyAsync(body, Stopping);
        var request = new PutRequest(parts[0], parts[1], headers.GetValueOrDefault("Content-Type"), Encoding.UTF8.GetString(body));
        Requests.Enqueue(request);
        Interlocked.Exchange(ref _received, new TaskCompletionSource<PutRequest>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(request);
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, Stopping);
        }

        var answer = $"HTTP/1.1 {(int)Status} {Status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await WriteAsync(tls, answer);
    }
}
