using System.Security.Cryptography;
using System.Text;
using ShelfAgent.Artifacts;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.Contract;
using ShelfAgent.IotCore.Jobs;
using ShelfAgent.LocalLake.Releases;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>
/// What local-lake publishes is what the agent accepts: each store's file read by the agent's own parser, its signature
/// verified by the agent's key set for Profiles:TrustedKeys, its job document parsed by the agent's job parser.
/// </summary>
public sealed class ReleaseArtifactsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_store_gets_a_signed_file_of_its_profiles_and_a_job_the_agent_accepts()
    {
        using var lake = new TestLake();
        var releases = new ReleaseStore(lake.Directory);
        var lines = string.Join('\n', new[]
        {
            Profile("store-1", "shelf-1-01", "A1"), Profile("store-1", "shelf-1-02", "A1"), Profile("store-2", "shelf-2-01", "A1"),
        }.Select(p => Encoding.UTF8.GetString(DemandProfileEncoder.Encode(p)))) + "\n";
        releases.Propose(Record("r-20261207-1", lines), lines);
        using var key = ProfileSigningKey.OpenOrCreate(lake.Directory);
        var served = Path.Combine(lake.Directory, "published");

        var jobs = ReleaseArtifacts.Publish(releases, "r-20261207-1", ["store-3"], key, new Uri("https://127.0.0.1:8443/"), served);

        Assert.Equal(["store-1", "store-2", "store-3"], jobs.Keys);
        var keys = TrustedKeySet.Parse([key.PublicPem], "Profiles:TrustedKeys", out var problems);
        Assert.Empty(problems);
        foreach (var (store, document) in jobs)
        {
            var bytes = File.ReadAllBytes(Path.Combine(served, "profiles", "r-20261207-1", store + ".json"));
            var job = Assert.IsType<ProfilesUpdateJob>(JobDocumentParser.Parse(document.ToJsonString()).Document);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            Assert.Equal(("r-20261207-1", (long)bytes.Length, sha), (job.Release, job.Artifact.Size, job.Artifact.Sha256));
            Assert.Equal($"https://127.0.0.1:8443/profiles/r-20261207-1/{store}.json", job.Artifact.Url.ToString());
            Assert.Equal(key.Id, keys.Verify(SHA256.HashData(bytes), job.Artifact.Signature, job.Artifact.KeyId));
            Assert.True(ProfileReleaseParser.TryParse(bytes, out var release, out var problem), problem);
            Assert.Equal(store, release.Store);
            Assert.Equal(store switch { "store-1" => 2, "store-2" => 1, _ => 0 }, release.Profiles.Count);
        }

        // The same key next time: devices keep trusting the lake's releases.
        using var again = ProfileSigningKey.OpenOrCreate(lake.Directory);
        Assert.Equal(key.Id, again.Id);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key.Path));
    }

    [Fact]
    public void A_withdrawal_is_a_signed_file_of_the_same_release_with_no_profiles_beside_the_release_files()
    {
        using var lake = new TestLake();
        using var key = ProfileSigningKey.OpenOrCreate(lake.Directory);
        var served = Path.Combine(lake.Directory, "published");

        var jobs = ReleaseArtifacts.PublishWithdrawal("r-20261207-1", ["store-1", "store-2"], key, new Uri("https://127.0.0.1:8443/"), served);

        Assert.Equal(["store-1", "store-2"], jobs.Keys);
        var keys = TrustedKeySet.Parse([key.PublicPem], "Profiles:TrustedKeys", out _);
        foreach (var (store, document) in jobs)
        {
            var bytes = File.ReadAllBytes(Path.Combine(served, "profiles", "r-20261207-1", "withdrawal", store + ".json"));
            var job = Assert.IsType<ProfilesUpdateJob>(JobDocumentParser.Parse(document.ToJsonString()).Document);
            Assert.Equal($"https://127.0.0.1:8443/profiles/r-20261207-1/withdrawal/{store}.json", job.Artifact.Url.ToString());
            Assert.Equal(key.Id, keys.Verify(SHA256.HashData(bytes), job.Artifact.Signature, job.Artifact.KeyId));
            Assert.True(ProfileReleaseParser.TryParse(bytes, out var release, out var problem), problem);
            Assert.Equal(("r-20261207-1", store, 0), (release.Release, release.Store, release.Profiles.Count));
        }
    }

    private static DemandProfile Profile(string store, string thing, string slot) =>
        new(store, thing, slot, "COLA-355", Now, 6, Enumerable.Repeat(1.25, 168).ToArray());

    private static ReleaseRecord Record(string id, string lines) => new()
    {
        Id = id,
        Created = Now,
        TrainedFrom = new DateOnly(2026, 10, 26),
        TrainedTo = new DateOnly(2026, 12, 7),
        Sources = new Dictionary<string, int>(),
        Rows = new Dictionary<string, long>(),
        CodeVersion = "test",
        ProfilesSha256 = ReleaseStore.Sha256(lines),
        ProposedBy = new Actor("alice", ProfileMatrix.DataScientist),
    };
}
