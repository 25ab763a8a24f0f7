using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.Contract;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalLake.Releases;
using ShelfAgent.Tests.Profiles;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// A release's rollout end to end on one machine (issue 24, "canary: a subset of devices on the local IoT Core applies the
/// release; the rest keep theirs"): two stores with one real agent each on the local IoT Core; the local lake publishes its
/// releases (signed per-store files and profiles-update job documents, <see cref="ReleaseArtifacts"/>), served over local
/// HTTPS, and queues them as jobs (<see cref="ReleaseJobs"/>): the release in service reaches both things, the new one only
/// the canary store's thing (<see cref="Canary"/>), and the rollback sends the canary the previous release again — each
/// step read back from the things' shadows.
/// </summary>
public sealed class ProfileReleaseRolloutTests(ITestOutputHelper output) : IAsyncDisposable
{
    private const string InService = "r-20261130-1";
    private const string Candidate = "r-20261207-1";
    private static readonly Dictionary<string, string> Things = new(StringComparer.Ordinal)
    {
        ["shelf-roll-a"] = "store-roll-a",
        ["shelf-roll-b"] = "store-roll-b",
    };

    private readonly HttpsFileServer _s3 = new();
    private readonly TempDirectory _lake = new();

    public async ValueTask DisposeAsync()
    {
        await _s3.DisposeAsync();
        _lake.Dispose();
    }

    [Fact]
    public async Task The_canary_store_applies_the_new_release_the_other_keeps_the_one_in_service_and_the_rollback_sends_it_back()
    {
        var releases = new ReleaseStore(_lake.Path);
        Propose(releases, InService, 1.0);
        Propose(releases, Candidate, 2.5);
        using var key = ProfileSigningKey.OpenOrCreate(_lake.Path);
        var jobs = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>(StringComparer.Ordinal)
        {
            [InService] = Publish(releases, InService, key),
            [Candidate] = Publish(releases, Candidate, key),
        };

        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var core = env.IotCore;
        var trust = new Dictionary<string, string> { ["SSL_CERT_FILE"] = _s3.CaFile };
        var agents = new Dictionary<string, AgentProcess>(StringComparer.Ordinal);
        foreach (var (thing, store) in Things)
        {
            agents[thing] = env.StartAgent(await DeviceAsync(env, thing, store, key.PublicPem), trust);
        }

        // The lake reaches the core as `local-lake canary --iot-core-state` does: through the state folder's endpoint.json.
        var state = Directory.CreateDirectory(Path.Combine(_lake.Path, "iot-core")).FullName;
        core.Endpoint().Write(state);

        // The release in service on every store.
        foreach (var (thing, store) in Things)
        {
            await RunJobAsync(core, agents[thing], state, "promote", InService, thing, store, jobs[InService]);
        }

        foreach (var thing in Things.Keys)
        {
            await WaitForReleaseAsync(core, agents[thing], thing, InService);
        }

        // The canary: the candidate goes to the chosen store's things only.
        var (canary, rest) = Canary.Choose(Things, Candidate, 0.5);
        var canaryThing = Assert.Single(canary);
        var otherThing = Assert.Single(rest);
        await RunJobAsync(core, agents[canaryThing], state, "canary", Candidate, canaryThing, Things[canaryThing], jobs[Candidate]);
        await WaitForReleaseAsync(core, agents[canaryThing], canaryThing, Candidate);
        Assert.Null(core.JobExecution(otherThing, ReleaseJobs.JobId("canary", Candidate, otherThing)));
        Assert.Equal(InService, Release(core, otherThing));
        Assert.Equal(2, Profiles(core, otherThing)?["slots"]?.GetValue<int>());

        // The rollback: the canary gets the release in service again; the other store was never touched.
        await RunJobAsync(core, agents[canaryThing], state, "rollback", InService, canaryThing, Things[canaryThing], jobs[InService]);
        await WaitForReleaseAsync(core, agents[canaryThing], canaryThing, InService);
        Assert.Equal(InService, Release(core, otherThing));
        Assert.Single(agents[otherThing].Output.Split('\n'), l => l.Contains($"Profile release {InService} applied", StringComparison.Ordinal));
        Assert.DoesNotContain($"Profile release {Candidate}", agents[otherThing].Output, StringComparison.Ordinal);
        foreach (var agent in agents.Values)
        {
            await agent.StopAsync();
        }
    }

    /// <summary>A proposal of flat profiles (<paramref name="rate"/> picks an hour) for both slots of both things.</summary>
    private static void Propose(ReleaseStore releases, string id, double rate)
    {
        var lines = string.Concat(Things.SelectMany(t => new[] { 1, 2 }.Select(i =>
            Encoding.UTF8.GetString(DemandProfileEncoder.Encode(ReleaseArtifact.Profile(t.Value, t.Key, $"S{i}", $"SKU-{i}", rate))) + "\n")));
        releases.Propose(
            new ReleaseRecord
            {
                Id = id,
                Created = DateTimeOffset.UtcNow,
                TrainedFrom = new DateOnly(2026, 10, 26),
                TrainedTo = new DateOnly(2026, 12, 7),
                Sources = new Dictionary<string, int>(),
                Rows = new Dictionary<string, long>(),
                CodeVersion = "test",
                ProfilesSha256 = ReleaseStore.Sha256(lines),
                ProposedBy = new Actor("alice", ProfileMatrix.DataScientist),
            },
            lines);
    }

    /// <summary>What <c>local-lake publish</c> writes, served by the local HTTPS server at the URLs its job documents name.</summary>
    private IReadOnlyDictionary<string, JsonObject> Publish(ReleaseStore releases, string id, ProfileSigningKey key)
    {
        var folder = Path.Combine(_lake.Path, "published");
        var jobs = ReleaseArtifacts.Publish(releases, id, Things.Values, key, new Uri($"https://127.0.0.1:{_s3.Port}/"), folder);
        foreach (var store in jobs.Keys)
        {
            _s3.Serve($"/profiles/{id}/{store}.json", File.ReadAllBytes(Path.Combine(folder, "profiles", id, store + ".json")));
        }

        return jobs;
    }

    private static async Task<TestDevice> DeviceAsync(IntegrationEnvironment env, string thing, string store, string publicPem) => await env.DeviceAsync(
        thing,
        c => c.Slots(2)
            .Set("Sampling:IntervalMs", 500)
            .Set("Publish:IntervalMs", 500)
            .Set("Shadow", new JsonObject { ["Enabled"] = true, ["ReportIntervalSeconds"] = 5 })
            .Set("Profiles:TrustedKeys", new JsonArray(publicPem)),
        store: store);

    /// <summary>The lake queues <paramref name="release"/>'s job for <paramref name="thing"/>; the agent ends it SUCCEEDED.</summary>
    private static async Task RunJobAsync(
        LocalIotCore core, AgentProcess agent, string state, string purpose, string release, string thing, string store,
        IReadOnlyDictionary<string, JsonObject> jobs)
    {
        var target = new Dictionary<string, string> { [thing] = store };
        var created = await ReleaseJobs.CreateAsync(state, purpose, release, target, jobs, CancellationToken.None);
        var jobId = created[thing];
        JobExecution? done = null;
        await agent.WaitForAsync(() => (done = core.JobExecution(thing, jobId)) is { IsTerminal: true }, $"job {jobId} ended", TimeSpan.FromSeconds(90));
        Assert.True(done!.Status == JobExecutionStatus.Succeeded, $"{jobId}: {string.Join(", ", done.StatusDetails)}{agent.Output}");
    }

    private static Task WaitForReleaseAsync(LocalIotCore core, AgentProcess agent, string thing, string release) =>
        agent.WaitForAsync(() => Release(core, thing) == release && Profiles(core, thing)?["slots"]?.GetValue<int>() == 2, $"{thing} reports {release}");

    private static string? Release(LocalIotCore core, string thing) => Profiles(core, thing)?["release"]?.GetValue<string>();

    private static JsonNode? Profiles(LocalIotCore core, string thing) => core.Shadow(thing)?["state"]?["reported"]?["device"]?["profiles"];
}
