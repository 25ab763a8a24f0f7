using System.Net;
using ShelfAgent.IotCore.Jobs.Operations;

namespace ShelfAgent.Tests.IotCore.Jobs.Operations;

/// <summary>The HTTPS PUT to a pre-signed URL, against a local HTTPS listener on 127.0.0.1.</summary>
public sealed class DiagnosticsUploaderTests
{
    [Fact]
    public async Task The_report_is_put_as_json_to_the_url_with_its_query()
    {
        await using var listener = new HttpsPutListener();
        using var http = new HttpClient(listener.TrustingHandler());

        var result = await new DiagnosticsUploader(http).PutAsync(
            listener.Url("/bucket/d.json?X-Amz-Signature=abc"), """{"a":1}"""u8.ToArray(), CancellationToken.None);

        var request = Assert.Single(listener.Requests);
        Assert.Equal(
            ("PUT", "/bucket/d.json?X-Amz-Signature=abc", "application/json", """{"a":1}"""),
            (request.Method, request.PathAndQuery, request.ContentType, request.Body));
        Assert.Equal("127.0.0.1: HTTP 200", result);
    }

    [Fact]
    public async Task A_refused_upload_names_the_host_and_status_but_never_the_signature()
    {
        await using var listener = new HttpsPutListener { Status = HttpStatusCode.Forbidden };
        using var http = new HttpClient(listener.TrustingHandler());

        var e = await Assert.ThrowsAsync<HttpRequestException>(
            () => new DiagnosticsUploader(http).PutAsync(listener.Url("/d.json?X-Amz-Signature=secret"), [], CancellationToken.None));

        Assert.Contains("127.0.0.1: HTTP 403", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_the_trust_store_does_not_know_is_refused()
    {
        await using var listener = new HttpsPutListener();
        using var http = new HttpClient(new SocketsHttpHandler());

        await Assert.ThrowsAsync<HttpRequestException>(() => new DiagnosticsUploader(http).PutAsync(listener.Url("/d.json"), [], CancellationToken.None));
        Assert.Empty(listener.Requests);
    }
}
