using System.Net;
using System.Security.Cryptography;
using ShelfAgent.Artifacts;

namespace ShelfAgent.Tests.Artifacts;

/// <summary>The download and its checks against a real HTTPS server on 127.0.0.1 (<see cref="HttpsFileServer"/>).</summary>
public sealed class ArtifactFetcherTests : IAsyncDisposable
{
    private readonly HttpsFileServer _server = new();
    private readonly TempDirectory _state = new("artifacts");
    private readonly SigningKey _key = new();
    private readonly HttpClient _http;
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(300_000);

    public ArtifactFetcherTests()
    {
        _http = new HttpClient(_server.TrustingHandler());
    }

    [Fact]
    public async Task Fetches_and_verifies_a_signed_file_named_by_its_hash()
    {
        var spec = Spec(_content);

        var artifact = await Fetcher().FetchAsync(spec, CancellationToken.None);

        Assert.Equal(_key.Id, artifact.KeyId);
        Assert.Equal(_content, await File.ReadAllBytesAsync(artifact.Path));
        Assert.StartsWith(spec.Sha256, Path.GetFileName(artifact.Path), StringComparison.Ordinal);
        Assert.False(File.Exists(artifact.Path + ".part"));
    }

    [Fact]
    public async Task Resumes_a_truncated_download_with_a_range_request()
    {
        _server.CutNext(responses: 2, afterBytes: 100_000);

        var artifact = await Fetcher().FetchAsync(Spec(_content), CancellationToken.None);

        Assert.Equal(_content, await File.ReadAllBytesAsync(artifact.Path));
        var ranges = _server.Requests.Select(r => r.Range).ToList();
        Assert.Equal([null, "bytes=100000-", "bytes=200000-"], ranges);
    }

    [Fact]
    public async Task Resumes_a_part_file_left_by_an_earlier_run()
    {
        var spec = Spec(_content);
        var fetcher = Fetcher();
        Directory.CreateDirectory(_state.Path);
        await File.WriteAllBytesAsync(fetcher.PathOf(spec) + ".part", _content[..123_456]);

        var artifact = await fetcher.FetchAsync(spec, CancellationToken.None);

        Assert.Equal(_content, await File.ReadAllBytesAsync(artifact.Path));
        Assert.Equal("bytes=123456-", Assert.Single(_server.Requests).Range);
    }

    [Fact]
    public async Task Refuses_a_declared_size_over_the_cap_before_downloading()
    {
        var e = await Assert.ThrowsAsync<ArtifactException>(() => Fetcher(maxBytes: 1000).FetchAsync(Spec(_content), CancellationToken.None));

        Assert.Equal(ArtifactFailure.TooLarge, e.Failure);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Refuses_a_server_that_sends_more_than_the_declared_size()
    {
        var spec = Spec(_content) with { Url = _server.Serve("/bigger.tar.gz", [.. _content, .. new byte[5000]]) };

        var e = await Assert.ThrowsAsync<ArtifactException>(() => Fetcher().FetchAsync(spec, CancellationToken.None));

        Assert.Equal(ArtifactFailure.TooLarge, e.Failure);
        Assert.False(File.Exists(Fetcher().PathOf(spec)));
    }

    [Fact]
    public async Task Refuses_a_wrong_hash_and_deletes_the_file()
    {
        var spec = Spec(_content) with { Sha256 = Convert.ToHexStringLower(SHA256.HashData("other"u8)) };

        var e = await Assert.ThrowsAsync<ArtifactException>(() => Fetcher().FetchAsync(spec, CancellationToken.None));

        Assert.Equal(ArtifactFailure.HashMismatch, e.Failure);
        Assert.Equal("hash", e.Code);
        Assert.Empty(Directory.GetFiles(_state.Path));
    }

    [Fact]
    public async Task Refuses_a_signature_by_an_untrusted_key()
    {
        using var other = new SigningKey();
        var spec = Spec(_content) with { Signature = other.Sign(_content), KeyId = null };

        var e = await Assert.ThrowsAsync<ArtifactException>(() => Fetcher().FetchAsync(spec, CancellationToken.None));

        Assert.Equal(ArtifactFailure.BadSignature, e.Failure);
        Assert.Empty(Directory.GetFiles(_state.Path));
    }

    [Fact]
    public async Task Fails_at_once_on_a_forbidden_answer_naming_the_host_not_the_url()
    {
        _server.Status = HttpStatusCode.Forbidden;

        var e = await Assert.ThrowsAsync<ArtifactException>(() => Fetcher().FetchAsync(Spec(_content), CancellationToken.None));

        Assert.Equal(ArtifactFailure.Download, e.Failure);
        Assert.Contains("HTTP 403", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-Signature", e.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _key.Dispose();
        await _server.DisposeAsync();
        _state.Dispose();
    }

    private ArtifactSpec Spec(byte[] content) => new(
        _server.Serve("/releases/shelf-agent-9.9.9-linux-x64.tar.gz", content),
        content.Length,
        Convert.ToHexStringLower(SHA256.HashData(content)),
        _key.Sign(content),
        _key.Id);

    private ArtifactFetcher Fetcher(long maxBytes = 10_000_000) => new(
        new ArtifactDownloader(_http, TimeProvider.System) { RetryDelay = TimeSpan.FromMilliseconds(50) },
        TrustedKeySet.Parse([_key.PublicBase64], out _),
        _state.Path,
        maxBytes);
}
