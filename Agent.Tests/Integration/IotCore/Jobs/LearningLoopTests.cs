using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalLake.Cli;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Learning;
using ShelfAgent.LocalLake.Releases;
using ShelfAgent.LocalLake.Serving;
using ShelfAgent.Simulator.Traces;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>
/// The learning loop end to end on one machine (issue 24's proof): simulated stores (<c>shelf-sim traces</c>, POS sales from
/// the same customers) → local lake → train → evaluate → approve → canary → watch, with one real agent per simulated
/// device on the local IoT Core. The lake sends every step's profiles-update jobs itself (<see cref="ReleaseDelivery"/>) and
/// serves the signed files over HTTPS (<see cref="ReleaseFileServer"/>); each step is read back from the devices' shadows
/// (<c>device.profiles</c>): the canary store applies a release first while the other keeps its own, the watch promotes the
/// trained release to the other store and rolls a worse one back to the release in service.
/// </summary>
public sealed class LearningLoopTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The worse release: the trained shapes at this many times the demand (predicted-empty alarms on every slot).</summary>
    private const double Factor = 25;

    private static readonly DateTimeOffset Now = new(2026, 10, 20, 6, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_canary_store_applies_a_trained_release_first_the_watch_promotes_it_and_rolls_a_worse_one_back()
    {
        var traces = Path.Combine(_dir.Path, "traces");
        // Seed 6: two stores whose trained release evaluates not worse than the devices' own learning (on seeds 1–5 it
        // evaluates worse with 4 training days, and the approval is refused); the override only keeps the turn going if a
        // change to the agent's prediction turns that around (recorded in approval.json).
        await TraceWriter.RunAsync(
            new TraceOptions { Stores = 2, SlotsPerDevice = 2, Days = 13, SamplingSeconds = 60, Seed = 6 }, traces, TextWriter.Null, CancellationToken.None);
        var settings = new LoopSettings
        {
            Lake = Path.Combine(_dir.Path, "lake"),
            Traces = traces,
            WatchDays = 2,
            CanaryShare = 0.5,
            OverrideReason = "test: the turn goes on to the canary",
        };
        var log = new StringWriter(CultureInfo.InvariantCulture);
        var devices = DeviceTrace.Find(traces);

        // Train → evaluate → approve on the lake, before any device runs: the release the watch will judge.
        var trained = LoopTurn.Approve(settings, log, Now);
        Assert.True(trained is not null, log.ToString());
        output.WriteLine(log.ToString());

        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var core = env.IotCore;
        var lake = Path.GetFullPath(settings.Lake);
        await using var s3 = await ReleaseFileServer.StartAsync(
            ReleaseDelivery.PublishedFolder(lake), 0, Path.Combine(_dir.Path, "https"), CancellationToken.None);
        var state = Directory.CreateDirectory(Path.Combine(_dir.Path, "iot-core")).FullName;
        core.Endpoint().Write(state);
        string[] send = ["--iot-core-state", state, "--base-url", s3.BaseUrl.ToString()];
        using var key = ProfileSigningKey.OpenOrCreate(lake);
        var agents = new Dictionary<string, AgentProcess>(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            var trust = new Dictionary<string, string> { ["SSL_CERT_FILE"] = s3.CaFile };
            agents[device.Thing] = env.StartAgent(await DeviceAsync(env, device, key.PublicPem), trust);
        }

        // Canary (local-lake canary): the trained release on the canary store's device; the other keeps its own learning.
        var releases = trained!.Releases;
        log.Write(await LakeAsync(lake, ["canary", "--release", trained.Id, "--traces", traces, "--share", "0.5", .. send]));
        var canary = releases.Rollout(trained.Id)!;
        var canaryThing = Assert.Single(canary.Canary);
        var otherThing = Assert.Single(canary.Rest);
        await JobsSucceedAsync(env, "canary", trained.Id, canary.Canary);
        await UntilReleaseAsync(env, core, canaryThing, trained.Id);
        await env.UntilAsync(() => Reported(core, otherThing) is not null, $"{otherThing} reports its device state");
        Assert.Null(Release(core, otherThing));
        Assert.Null(core.JobExecution(otherThing, ReleaseJobs.JobId("canary", trained.Id, otherThing)));

        // Watch (local-lake watch): not worse than the devices' own learning on the canary → promoted to the other store.
        log.Write(await LakeAsync(lake, ["watch", "--release", trained.Id, "--traces", traces, "--from", Day(trained.WatchFrom), "--days", "2", .. send]));
        var promoted = releases.Rollout(trained.Id)!;
        Assert.True(promoted.State == RolloutState.Promoted, log.ToString());
        await JobsSucceedAsync(env, "promote", trained.Id, promoted.Rest);
        await UntilReleaseAsync(env, core, otherThing, trained.Id);
        Assert.Equal(trained.Id, Release(core, canaryThing));

        // A worse release (the trained shapes at 25 times the demand, weighed as a year of history: alarms on every slot)
        // shipped with a written override: the canary store runs it, the other keeps the release in service, and the watch
        // rolls it back to that release. Its id puts its canary on the other store (the canary is a hash of store and
        // release). It is watched over the 2 days after the training window: at the traces' end the devices have learned
        // enough that no profile changes their alarms (the watch then sees no difference and promotes).
        var worse = ProposeWorse(releases, trained.Id, "r-20261008-2", traces);
        log.Write(await LakeAsync(lake, ["canary", "--release", worse, "--traces", traces, "--share", "0.5", .. send]));
        var worseCanary = releases.Rollout(worse)!;
        var worseThing = Assert.Single(worseCanary.Canary);
        var keptThing = Assert.Single(worseCanary.Rest);
        await JobsSucceedAsync(env, "canary", worse, worseCanary.Canary);
        await UntilReleaseAsync(env, core, worseThing, worse);
        Assert.Equal(trained.Id, Release(core, keptThing));

        var watchFrom = Day(trained.WatchFrom.AddDays(-7));
        log.Write(await LakeAsync(lake, ["watch", "--release", worse, "--traces", traces, "--from", watchFrom, "--days", "2", .. send]));
        var rolledBack = releases.Rollout(worse)!;
        Assert.True(rolledBack.State == RolloutState.RolledBack, log.ToString());
        Assert.StartsWith("worse", rolledBack.Reason, StringComparison.Ordinal);
        Assert.Equal(trained.Id, releases.InService());
        await JobsSucceedAsync(env, "rollback", worse, rolledBack.Canary);
        await UntilReleaseAsync(env, core, worseThing, trained.Id);
        Assert.Equal(trained.Id, Release(core, keptThing));
        Assert.DoesNotContain($"Profile release {worse}", agents[keptThing].Output, StringComparison.Ordinal);

        // By hand (local-lake rollback): the trained release, promoted, with nothing before it → its withdrawal to every
        // device; they forget it (device.profiles null) and run on their own learning again.
        string[] by = ["--as", ProfileMatrix.MlEngineer, "--by", "carol", "--reason", "test: withdraw the first release", "--traces", traces];
        log.Write(await LakeAsync(lake, ["rollback", "--release", trained.Id, .. by, .. send]));
        await JobsSucceedAsync(env, "rollback", trained.Id, [canaryThing, otherThing]);
        foreach (var thing in new[] { canaryThing, otherThing })
        {
            await env.UntilAsync(() => Reported(core, thing) is { } d && d["profiles"] is null, $"{thing} forgets {trained.Id}");
        }

        output.WriteLine(log.ToString());
        foreach (var agent in agents.Values)
        {
            await agent.StopAsync();
        }
    }

    /// <summary><c>local-lake --lake LAKE ARGS</c>, in process; its output (exit 0 asserted).</summary>
    internal static async Task<string> LakeAsync(string lake, string[] args)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var code = await LakeCli.Create().Parse(["--lake", lake, .. args]).InvokeAsync(new InvocationConfiguration { Output = text, Error = text });
        Assert.True(code == 0, $"local-lake {string.Join(' ', args)}: exit {code}\n{text}");
        return text.ToString();
    }

    private static string Day(DateTimeOffset day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The jobs the lake queued for <paramref name="things"/> end SUCCEEDED.</summary>
    internal static async Task JobsSucceedAsync(IntegrationEnvironment env, string purpose, string release, IEnumerable<string> things)
    {
        foreach (var thing in things)
        {
            var jobId = ReleaseJobs.JobId(purpose, release, thing);
            JobExecution? done = null;
            await env.UntilAsync(() => (done = env.IotCore.JobExecution(thing, jobId)) is { IsTerminal: true }, $"job {jobId} ended", TimeSpan.FromSeconds(90));
            Assert.True(done!.Status == JobExecutionStatus.Succeeded, $"{jobId}: {string.Join(", ", done.StatusDetails)}");
        }
    }

    /// <summary>
    /// A device as the simulated one: its thing, store and slots (ids and SKUs the profiles name); with
    /// <paramref name="forecastMinutes"/>, a forecast that often (the lake's watch needs the release named within one).
    /// </summary>
    internal static async Task<TestDevice> DeviceAsync(IntegrationEnvironment env, DeviceTrace device, string publicPem, int? forecastMinutes = null)
    {
        var slots = JsonNode.Parse(await File.ReadAllTextAsync(device.ConfigPath))!["Slots"]!.DeepClone();
        return await env.DeviceAsync(
            device.Thing,
            c =>
            {
                c.Set("Slots", slots)
                    .Set("Sampling:IntervalMs", 500)
                    .Set("Publish:IntervalMs", 500)
                    .Set("Shadow", new JsonObject { ["Enabled"] = true, ["ReportIntervalSeconds"] = 5 })
                    .Set("Profiles:TrustedKeys", new JsonArray(publicPem));
                if (forecastMinutes is { } minutes)
                {
                    c.Set("Stock:ForecastIntervalMinutes", minutes);
                }
            },
            store: device.Store);
    }

    /// <summary>Proposes <paramref name="trainedId"/>'s profiles × <see cref="Factor"/> as <paramref name="id"/>, evaluated and approved.</summary>
    private static string ProposeWorse(ReleaseStore releases, string trainedId, string id, string traces)
    {
        var text = new StringBuilder();
        foreach (var line in File.ReadAllText(releases.ProfilesPath(trainedId)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var profile = JsonNode.Parse(line)!.AsObject();
            var rates = profile["picksPerHour"]!.AsArray().Select(v => (JsonNode?)JsonValue.Create(v!.GetValue<double>() * Factor));
            profile["picksPerHour"] = new JsonArray([.. rates]);
            // Confident: a year of history behind it, so it outweighs what the devices learned themselves (weeks weigh a profile).
            profile["weeks"] = 52;
            text.Append(profile.ToJsonString()).Append('\n');
        }

        var profiles = text.ToString();
        releases.Propose(releases.Record(trainedId)! with { Id = id, ProfilesSha256 = ReleaseStore.Sha256(profiles) }, profiles);
        releases.SaveMetrics(Evaluation.Evaluate(releases, releases.Record(id)!, traces, releases.InService()));
        Approval.Approve(releases, id, new Actor("carol", ProfileMatrix.MlEngineer), Now, "test: the watch must roll a worse release back");
        return id;
    }

    internal static Task UntilReleaseAsync(IntegrationEnvironment env, LocalIotCore core, string thing, string release) =>
        env.UntilAsync(() => Release(core, thing) == release && (Reported(core, thing)?["profiles"]?["slots"]?.GetValue<int>() ?? 0) > 0,
            $"{thing} reports {release}");

    internal static string? Release(LocalIotCore core, string thing) => Reported(core, thing)?["profiles"]?["release"]?.GetValue<string>();

    internal static JsonNode? Reported(LocalIotCore core, string thing) => core.Shadow(thing)?["state"]?["reported"]?["device"];
}
