using System.Net.Http.Headers;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// PUTs the full diagnostics report to the job's pre-signed URL (e.g. an S3 PUT URL made by the operator's tooling).
/// HTTPS only, verified against the system's trust store in production. The URL carries its own credentials in the
/// query, so it is never logged or echoed: only its host is.
/// </summary>
/// <param name="http">The client (the composition gives it a timeout; tests a handler that trusts their CA).</param>
public sealed class DiagnosticsUploader(HttpClient http)
{
    /// <summary>Uploads; returns "host: HTTP 200" or throws <see cref="HttpRequestException"/> naming the host and status.</summary>
    public Task<string> PutAsync(Uri url, byte[] report, CancellationToken cancellationToken) =>
        PutAsync(url, report, "application/json", cancellationToken);

    /// <summary>As <see cref="PutAsync(Uri, byte[], CancellationToken)"/> with another content type (upload-readings: NDJSON).</summary>
    public async Task<string> PutAsync(Uri url, byte[] report, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("the upload URL must be https", nameof(url));
        }

        using var content = new ByteArrayContent(report);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var status = $"{url.Host}: HTTP {(int)response.StatusCode}";
        return response.IsSuccessStatusCode
            ? status
            : throw new HttpRequestException(
                $"the upload to {status} {response.ReasonPhrase} (an expired pre-signed URL answers 403)", null, response.StatusCode);
    }
}
