using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace ShelfAgent.Artifacts;

/// <summary>
/// Downloads one file over HTTPS into a state directory, resuming: the bytes go to <c>&lt;file&gt;.part</c>, and a broken
/// connection (or a restart of the agent) continues from its length with an HTTP Range request (RFC 9110 §14.2; S3
/// answers 206 with Content-Range). Nothing beyond the declared size is ever written: a larger Content-Length, or a body
/// that runs past it, is refused as too large. The finished file is flushed to the disk and renamed into place; checking it
/// is <see cref="ArtifactVerifier"/>'s work. The URL carries credentials (pre-signed) and is never put in a message: only
/// its host is.
/// </summary>
/// <param name="http">The client: the system's trust store on a device; tests hand in a handler trusting their CA.</param>
/// <param name="time">Clock for the pause between attempts.</param>
public sealed class ArtifactDownloader(HttpClient http, TimeProvider time)
{
    /// <summary>Connections tried for one download before it fails (each resumes where the last one stopped).</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>The pause before the second attempt, doubled for each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called with a short line after each broken attempt (e.g. to log it).</summary>
    public Action<string>? OnRetry { get; init; }

    /// <summary>
    /// Downloads <paramref name="spec"/> to <paramref name="path"/>; returns at once when that file already has the
    /// declared size (a download finished before a restart).
    /// </summary>
    /// <param name="spec">The artifact.</param>
    /// <param name="path">Where the file goes (its folder is created).</param>
    /// <param name="maxBytes">The cap: a declared size above it is refused before any byte is fetched.</param>
    /// <param name="cancellationToken">Stops the download; the .part file stays for the next attempt.</param>
    /// <exception cref="ArtifactException">Too large, wrong size, or the server failed after every attempt.</exception>
    public async Task DownloadAsync(ArtifactSpec spec, string path, long maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (spec.Url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArtifactException(ArtifactFailure.Download, "the artifact URL must be https://");
        }

        if (spec.Size > maxBytes)
        {
            throw new ArtifactException(ArtifactFailure.TooLarge, $"the artifact is {spec.Size} bytes, over the cap of {maxBytes} bytes");
        }

        if (File.Exists(path) && new FileInfo(path).Length == spec.Size)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var part = path + ".part";
        var delay = RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var have = File.Exists(part) ? new FileInfo(part).Length : 0;
            if (have > spec.Size)
            {
                // Left by a download of something else under the same name: start over.
                File.Delete(part);
                have = 0;
            }

            try
            {
                if (have < spec.Size)
                {
                    await FetchAsync(spec, part, have, cancellationToken).ConfigureAwait(false);
                }

                break;
            }
            catch (Exception e) when (attempt < Attempts && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                OnRetry?.Invoke($"download from {spec.Url.Host} broke after {Length(part)} of {spec.Size} bytes ({e.Message}); " +
                                $"resuming in {delay.TotalSeconds:0.#} s (attempt {attempt + 1} of {Attempts})");
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                throw new ArtifactException(
                    ArtifactFailure.Download,
                    $"the download from {spec.Url.Host} failed {Attempts} times, last: {e.Message} ({Length(part)} of {spec.Size} bytes kept to resume)",
                    e);
            }
        }

        var length = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (length != spec.Size)
        {
            File.Delete(part);
            throw new ArtifactException(ArtifactFailure.SizeMismatch, $"the download is {length} bytes, not the declared {spec.Size}");
        }

        File.Move(part, path, overwrite: true);
    }

    private async Task FetchAsync(ArtifactSpec spec, string part, long have, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, spec.Url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The part file is not a prefix of this object: start over on the next attempt.
            File.Delete(part);
            throw new IOException($"{spec.Url.Host} refused the resume range (HTTP 416); starting over");
        }

        if (!response.IsSuccessStatusCode)
        {
            var hint = status == 403 ? " (an expired pre-signed URL answers 403)" : "";
            var error = new HttpRequestException($"{spec.Url.Host} answered HTTP {status} {response.ReasonPhrase}{hint}", null, response.StatusCode);
            // 4xx will not change by asking again; 5xx may.
            throw status is >= 400 and < 500 ? new ArtifactException(ArtifactFailure.Download, error.Message, error) : error;
        }

        var start = 0L;
        if (response.StatusCode == HttpStatusCode.PartialContent)
        {
            start = response.Content.Headers.ContentRange?.From ?? 0;
            if (start != have)
            {
                throw new IOException($"{spec.Url.Host} resumed at byte {start}, not {have}");
            }
        }

        if (response.Content.Headers.ContentLength is { } announced && start + announced > spec.Size)
        {
            throw new ArtifactException(
                ArtifactFailure.TooLarge,
                $"{spec.Url.Host} sends {start + announced} bytes, more than the declared {spec.Size}");
        }

        var stream = new FileStream(part, new FileStreamOptions
        {
            Mode = start == 0 ? FileMode.Create : FileMode.Append,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        await using (stream.ConfigureAwait(false))
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var buffer = new byte[81_920];
                var written = start;
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (written + read > spec.Size)
                    {
                        stream.SetLength(0);
                        throw new ArtifactException(
                            ArtifactFailure.TooLarge,
                            $"{spec.Url.Host} sent more than the declared {spec.Size} bytes; stopped at the declared size");
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    written += read;
                }
            }

            // On the disk before the rename makes it the download.
            stream.Flush(flushToDisk: true);
        }
    }

    private static bool IsTransient(Exception e) => e is IOException or HttpRequestException or TaskCanceledException;

    private static string Length(string part) =>
        (File.Exists(part) ? new FileInfo(part).Length : 0).ToString(CultureInfo.InvariantCulture);
}
