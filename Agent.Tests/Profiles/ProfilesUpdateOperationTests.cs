using ShelfAgent.Artifacts;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.Pipeline;
using ShelfAgent.Profiles;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Tests.Profiles;

/// <summary>
/// profiles-update on real parts: the artifact served by an HTTPS server on 127.0.0.1, signed with a P-256 key, fetched and
/// verified by the one artifact fetcher, kept in a real state folder; the pipeline built from what was kept.
/// </summary>
public sealed class ProfilesUpdateOperationTests : IAsyncDisposable
{
    private const string Store = "store-7";
    private const string Thing = "shelf-7-01";
    private readonly TempDirectory _dir = new("profiles-update");
    private readonly HttpsFileServer _server = new();
    private readonly SigningKey _key = new();
    private readonly HttpClient _http;
    private readonly ProfileReleaseFile _file;
    private readonly AppliedRelease _applied = new(null);
    private int _applies;

    public ProfilesUpdateOperationTests()
    {
        _http = new HttpClient(_server.TrustingHandler());
        _file = new ProfileReleaseFile(_dir.File("profiles"));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _key.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_signed_release_for_the_store_is_kept_applied_to_every_slot_and_applies_again_after_a_restart()
    {
        // 24 slots: more than the shadow route's 9.
        var options = Options(24);
        var job = Job("r-20261207-1", Store, options.Slots.Select(s => ReleaseArtifact.Profile(Store, Thing, s.Id, s.Sku, 2)));

        var outcome = await RunAsync(job, options);

        Assert.Equal(JobStatus.Succeeded, outcome.Status);
        Assert.Equal([("release", "r-20261207-1"), ("slots", "24"), ("of", "24"), ("key", _key.Id)], outcome.Details.Select(d => (d.Key, d.Value)));
        Assert.Equal("r-20261207-1", _applied.Current?.Release);
        Assert.Equal(1, _applies);
        Assert.Single(Directory.GetFiles(_file.Directory), f => f == _file.Path);

        // A restart: the kept file is the release again, and the pipeline built from it says cloud:<release> for every slot.
        var (kept, problem) = await _file.LoadAsync(CancellationToken.None);
        Assert.Null(problem);
        var forecast = StockPipelineFactory.Create(options, DemandState.Empty, kept).Forecast(DateTimeOffset.Parse("2026-12-08T10:00:00Z"));
        Assert.All(forecast.Slots, s => Assert.Equal("cloud:r-20261207-1", ForecastMessageEncoder.Profile(s.Profile, s.ProfileRelease)));
    }

    [Fact]
    public async Task Without_profile_keys_the_job_is_rejected_saying_so()
    {
        var options = Options(2);
        var job = Job("r-1", Store, options.Slots.Select(s => ReleaseArtifact.Profile(Store, Thing, s.Id, s.Sku, 2)));

        var outcome = await RunAsync(job, options, keys: false);

        Assert.Equal(JobStatus.Rejected, outcome.Status);
        Assert.Contains("no Profiles:TrustedKeys", outcome.Details[0].Value, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
        Assert.Null(_applied.Current);
    }

    [Theory]
    [InlineData("hash")]
    [InlineData("signature")]
    [InlineData("unknown-key")]
    public async Task A_refused_artifact_fails_the_job_with_the_check_and_keeps_the_release_in_use(string check)
    {
        var options = Options(2);
        await RunAsync(Job("r-1", Store, options.Slots.Select(s => ReleaseArtifact.Profile(Store, Thing, s.Id, s.Sku, 2))), options);
        var job = Job("r-2", Store, options.Slots.Select(s => ReleaseArtifact.Profile(Store, Thing, s.Id, s.Sku, 5)));
        using var stranger = new SigningKey();
        var a = job.Artifact;
        job = check switch
        {
            "hash" => job with { Artifact = a with { Sha256 = new string('0', 64) } },
            "signature" => job with { Artifact = a with { Signature = _key.Sign([1, 2, 3]) } },
            _ => job with { Artifact = a with { Signature = stranger.Sign([1]), KeyId = stranger.Id } },
        };

        var outcome = await RunAsync(job, options);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains(new KeyValuePair<string, string>("check", check), outcome.Details);
        if (check == "unknown-key")
        {
            Assert.Contains("not in Profiles:TrustedKeys", outcome.Details[0].Value, StringComparison.Ordinal);
        }

        Assert.Equal("r-1", _applied.Current?.Release);
        Assert.Equal("r-1", (await _file.LoadAsync(CancellationToken.None)).Release?.Release);
    }

    [Fact]
    public async Task An_update_key_is_not_a_profile_key()
    {
        var options = Options(1);
        var job = Job("r-1", Store, [ReleaseArtifact.Profile(Store, Thing, "S1", "SKU-1", 2)]);
        using var updateKey = new SigningKey();
        options.Update.TrustedKeys = [updateKey.PublicBase64];
        var bytes = ReleaseArtifact.Bytes("r-1", Store, [ReleaseArtifact.Profile(Store, Thing, "S1", "SKU-1", 2)]);
        job = job with { Artifact = job.Artifact with { Signature = updateKey.Sign(bytes), KeyId = null } };

        var outcome = await RunAsync(job, options);

        Assert.Equal(JobStatus.Failed, outcome.Status);
        Assert.Contains("does not verify with any key in Profiles:TrustedKeys", outcome.Details[0].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("store", "is the artifact of store store-8; this device (shelf-7-01) is in store store-7")]
    [InlineData("thing", "has no profile for thing shelf-7-01 (2 profiles for other things of store store-7)")]
    [InlineData("sku", "has no profile for a slot of this thing: it offers S1=OTHER, S2=OTHER; agent.json has S1=SKU-1, S2=SKU-2")]
    [InlineData("release", "the artifact holds release r-9, but the job says r-1")]
    public async Task A_release_that_is_not_for_this_device_is_rejected_with_why(string wrong, string reason)
    {
        var options = Options(2);
        var store = wrong == "store" ? "store-8" : Store;
        var thing = wrong == "thing" ? "shelf-7-02" : Thing;
        var profiles = options.Slots.Select(s => ReleaseArtifact.Profile(store, thing, s.Id, wrong == "sku" ? "OTHER" : s.Sku, 2)).ToList();
        var job = Job(wrong == "release" ? "r-9" : "r-1", store, profiles) with { Release = "r-1" };

        var outcome = await RunAsync(job, options);

        Assert.Equal(JobStatus.Rejected, outcome.Status);
        Assert.Contains(reason, outcome.Details[0].Value, StringComparison.Ordinal);
        Assert.Null(_applied.Current);
        Assert.False(File.Exists(_file.Path));
        Assert.Empty(Directory.GetFiles(_file.Directory));
    }

    [Fact]
    public async Task A_release_with_no_profiles_withdraws_the_one_in_use()
    {
        var options = Options(2);
        await RunAsync(Job("r-1", Store, options.Slots.Select(s => ReleaseArtifact.Profile(Store, Thing, s.Id, s.Sku, 2))), options);

        var outcome = await RunAsync(Job("r-2", Store, []), options);

        Assert.Equal(JobStatus.Succeeded, outcome.Status);
        Assert.Contains(new KeyValuePair<string, string>("withdrawn", "r-1"), outcome.Details);
        Assert.Null(_applied.Current);
        Assert.False(File.Exists(_file.Path));
        Assert.Equal(2, _applies);
    }

    private ProfilesUpdateJob Job(string release, string store, IEnumerable<DemandProfile> profiles)
    {
        var bytes = ReleaseArtifact.Bytes(release, store, profiles);
        var url = _server.Serve($"/profiles/{release}/{store}.json", bytes);
        return new ProfilesUpdateJob(release, ReleaseArtifact.Spec(url, bytes, _key));
    }

    private Task<JobOutcome> RunAsync(ProfilesUpdateJob job, AgentOptions options, bool keys = true)
    {
        options.Profiles.TrustedKeys = keys ? [_key.PublicPem] : [];
        var fetcher = new ArtifactFetcher(
            new ArtifactDownloader(_http, TimeProvider.System), options.Profiles.Keys(), _file.Directory, ProfilesOptions.MaxDownloadBytes);
        var operation = new ProfilesUpdateOperation(fetcher, _file, _applied, () => options, () => _applies++, keys);
        return operation.RunAsync(job, CancellationToken.None);
    }

    private static AgentOptions Options(int slots) => new()
    {
        Device = new DeviceOptions { StoreId = Store, ThingName = Thing },
        Slots = [.. Enumerable.Range(1, slots).Select(i => new SlotOptions { Id = $"S{i}", Sku = $"SKU-{i}" })],
    };
}
