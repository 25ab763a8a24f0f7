using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// Stands in for S3 behind a pre-signed GET URL: an HTTPS server on 127.0.0.1 (certificate from its own CA,
/// <see cref="LocalHttpsServer.CaFile"/>) serving files with HTTP/1.1, single ranges (<c>Range: bytes=N-</c> → 206 with Content-Range, as
/// S3 does), and faults on demand: <see cref="CutNext"/> ends the next responses' bodies early (a truncated download),
/// <see cref="Status"/> answers an error. <see cref="Requests"/> records each request's path and Range header.
/// </summary>
public sealed class HttpsFileServer() : LocalHttpsServer("files")
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private int _cuts;
    private long _cutAfter;

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

    protected override async Task HandleAsync(SslStream tls, string head)
    {
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

        await tls.WriteAsync(content.AsMemory((int)start, (int)send), Stopping);
        await tls.FlushAsync(Stopping);
    }
}
